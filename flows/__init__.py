"""alumni-outcomes pipeline: Prefect flows, tasks and the plain functions under them."""

"""The API gateway's route table and the Envoy config rendered from it (decision 0015)."""

"""Records as users' pydantic models: batched writes, paging, active records."""

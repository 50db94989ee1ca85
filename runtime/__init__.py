"""The delivery runtime both services run on: reading a stream through a consumer group,
claiming stalled entries, the delivery cap and dead letters, the batcher, the Redis connection,
housekeeping and the settings every consumer shares.

Below the services, above the wire contract: it imports `shared` and never `extractor`,
`indexer` or the command line (`pagewire`). It lives beside `shared/` rather than inside it so
that the wire contract stays a package any producer can use with pydantic alone.
"""

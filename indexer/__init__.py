"""The indexer service: article events in, a searchable store and its search API."""

"""The extractor service: raw pages in, article or rejection events out."""

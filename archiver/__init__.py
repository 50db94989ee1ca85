"""The archiver: every raw page of `pages.raw`, in its own consumer group, written to rotating
WARC files (`archiver.app`), and the WARC reading and writing `pagewire publish` and
`pagewire replay` use too (`archiver.warc`)."""

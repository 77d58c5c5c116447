"""National notices, newsletters of regional interviews, case study workshops, digests and feeds."""

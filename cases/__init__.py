"""Case studies: submission, anonymisation assistant and moderation workflow."""

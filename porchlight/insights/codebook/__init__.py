"""A campaign's codebook: themes edited by hand, coding runs, the review of coded notes, emergent themes."""

"""What the media library tells the apps whose texts show its images."""

from django.dispatch import Signal

# Sent inside the transaction that stored, replaced or deleted library files,
# with ``names``: the set of stored file names concerned. The texts that keep
# a rendered copy naming these files (articles' shown bodies) refresh it.
media_files_changed = Signal()

"""The rich text editor of articles and static pages; its images go to the media library."""

from django.urls import reverse_lazy
from tinymce.widgets import AdminTinyMCE


def rich_text_widget():
    """The editor for article bodies and static pages; images go to the media library."""
    return AdminTinyMCE(
        mce_attrs={
            "images_upload_url": reverse_lazy("admin:medialib_mediaimage_upload"),
            "images_upload_handler": "blogEditorUploadImage",
            "image_list": reverse_lazy("admin:medialib_mediaimage_library"),
        }
    )

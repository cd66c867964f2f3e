"""A small picture standing for the photo of a signed acceptance form in the demo data."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def signature_upload() -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 80), "white")
    ImageDraw.Draw(image).line([(10, 60), (80, 20), (150, 55), (230, 25)], fill="black", width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("signature.png", buffer.getvalue(), content_type="image/png")

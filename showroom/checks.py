"""System checks run at start-up: the things that otherwise fail silently."""

import shutil
import subprocess

from django.core.checks import Warning, register


@register()
def cjk_font_check(app_configs, **kwargs):
    """WeasyPrint draws empty boxes for Chinese text without a CJK font, and says nothing."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return [
            Warning(
                "fontconfig (fc-list) is not installed; PDFs cannot find a CJK font.",
                hint="apt-get install fontconfig fonts-noto-cjk",
                id="showroom.W001",
            )
        ]
    try:
        out = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    if "Noto Sans CJK" not in out and "Noto Serif CJK" not in out:
        return [
            Warning(
                "No Noto CJK font is installed: Chinese text in PDFs would print as empty boxes.",
                hint="apt-get install fonts-noto-cjk",
                id="showroom.W002",
            )
        ]
    return []

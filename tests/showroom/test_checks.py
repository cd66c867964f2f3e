"""The start-up check for a CJK font: WeasyPrint prints Chinese as empty boxes without one and
says nothing, so the system check must."""

import subprocess
from unittest import mock

from django.core import checks

from showroom.checks import cjk_font_check

FC_LIST = "/usr/bin/fc-list"


def fc_list_output(stdout: str):
    return mock.patch(
        "showroom.checks.subprocess.run",
        return_value=subprocess.CompletedProcess(args=[FC_LIST], returncode=0, stdout=stdout, stderr=""),
    )


def with_fc_list():
    return mock.patch("showroom.checks.shutil.which", return_value=FC_LIST)


def test_no_noto_font_is_reported_as_w002():
    # given fontconfig that knows only a non-Noto Chinese font
    with with_fc_list(), fc_list_output("WenQuanYi Zen Hei,文泉驿正黑\nAR PL UMing CN\n") as run:
        # when the checks run
        result = cjk_font_check(None)
    # then a clear warning names the missing font and how to install it
    assert [w.id for w in result] == ["showroom.W002"]
    warning = result[0]
    assert isinstance(warning, checks.Warning)
    assert "empty boxes" in warning.msg and "fonts-noto-cjk" in warning.hint
    assert run.call_args.args[0] == [FC_LIST, ":lang=zh", "family"]


def test_noto_sans_cjk_installed_gives_no_warning():
    with with_fc_list(), fc_list_output("Noto Sans CJK SC,Noto Sans CJK SC Regular\nNoto Sans CJK TC\n"):
        assert cjk_font_check(None) == []


def test_no_font_at_all_is_w002():
    with with_fc_list(), fc_list_output(""):
        assert [w.id for w in cjk_font_check(None)] == ["showroom.W002"]


def test_fc_list_failing_counts_as_no_font():
    with (
        with_fc_list(),
        mock.patch("showroom.checks.subprocess.run", side_effect=subprocess.TimeoutExpired(FC_LIST, 10)),
    ):
        assert [w.id for w in cjk_font_check(None)] == ["showroom.W002"]


def test_missing_fontconfig_is_w001():
    with mock.patch("showroom.checks.shutil.which", return_value=None):
        assert [w.id for w in cjk_font_check(None)] == ["showroom.W001"]


def test_the_check_is_registered_and_passes_on_this_machine():
    # the machine the suite runs on has fonts-noto-cjk (scripts/setup.sh installs it)
    assert cjk_font_check in checks.registry.registry.get_checks()
    assert [m for m in checks.run_checks() if m.id in ("showroom.W001", "showroom.W002")] == []

"""The committed front-end build: present, self-contained, and free of web fonts and other hosts."""

import re
from pathlib import Path

import pytest
from django.conf import settings

DIST = Path(settings.BASE_DIR) / "frontend" / "dist"


@pytest.fixture(scope="module")
def css() -> str:
    path = DIST / "css" / "toolkit.css"
    assert path.is_file(), "run `make assets` and commit frontend/dist"
    return path.read_text(encoding="utf-8")


def test_css_has_govuk_frontend_and_our_own_components(css):
    selectors = (".govuk-template", ".govuk-service-navigation", ".govuk-summary-card", ".toolkit-emergency")
    for selector in selectors:
        assert selector in css


def test_css_loads_nothing_from_another_host(css):
    urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", css)
    assert not [url for url in urls if re.match(r"(https?:)?//", url)]
    assert "@import" not in css


def test_css_uses_a_system_font_stack_and_no_web_fonts(css):
    assert "@font-face" not in css
    assert not re.search(r"\.woff2?\b", css)
    assert "GDS Transport" not in css
    assert "system-ui" in css


def test_css_is_compressed_and_has_no_source_map(css):
    assert "sourceMappingURL" not in css
    assert css.count("\n") <= 2


def test_scripts_are_present_and_the_module_import_resolves():
    toolkit = (DIST / "js" / "toolkit.js").read_text(encoding="utf-8")
    imports = re.findall(r"from\s+[\"']\./([^\"']+)[\"']", toolkit)
    assert imports == ["govuk-frontend.min.js"]
    bundle = (DIST / "js" / imports[0]).read_text(encoding="utf-8")
    assert "initAll" in toolkit
    assert "initAll" in bundle
    assert "js-enabled" in (DIST / "js" / "init.js").read_text(encoding="utf-8")


def test_no_built_file_points_at_a_source_map_or_a_font():
    for path in DIST.rglob("*"):
        if path.is_file():
            assert path.suffix not in {".map", ".woff", ".woff2", ".ttf", ".otf"}, path
            if path.suffix in {".js", ".css"}:
                assert "sourceMappingURL" not in path.read_text(encoding="utf-8"), path

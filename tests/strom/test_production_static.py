"""Issue 13, finding 2: the production build collects the static files, and pages render
with the manifest storage and DEBUG off.

`collectstatic` with WhiteNoise's CompressedManifestStaticFilesStorage rewrites every
reference a CSS or JS file makes (url(...), sourceMappingURL) to the hashed name and fails
when the referenced file is missing. Without the manifest every page is a 500 under
production settings (`{% static %}` raises)."""

import io
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
SOURCE_MAP_RE = re.compile(rb"[#@]\s*sourceMappingURL\s*=\s*([^\s*]+)")


def test_no_vendored_file_points_at_a_missing_source_map():
    missing = []
    for path in sorted(STATIC.rglob("*")):
        if path.suffix not in (".js", ".css", ".mjs"):
            continue
        for target in SOURCE_MAP_RE.findall(path.read_bytes()):
            target = target.decode()
            if target.startswith("data:"):
                continue
            if not (path.parent / target).is_file():
                missing.append(f"{path.relative_to(ROOT)} -> {target}")
    assert not missing, "source maps referenced but not vendored:\n" + "\n".join(missing)


def collectstatic(static_root):
    """`manage.py collectstatic` with the production storage (WhiteNoise's manifest), into
    a temporary STATIC_ROOT. Compression is skipped to keep the test quick: it does not
    touch references between files, where the manifest fails. (.ci/run runs the Dockerfile's
    command itself, compression included, before it starts gunicorn.)"""
    out, err = io.StringIO(), io.StringIO()
    with override_settings(
        STATIC_ROOT=static_root,
        STORAGES=PRODUCTION_STORAGES,
        WHITENOISE_SKIP_COMPRESS_EXTENSIONS=_every_extension(),
    ):
        try:
            call_command("collectstatic", interactive=False, stdout=out, stderr=err)
        except Exception as exc:  # MissingFileError, ValueError: what the Dockerfile shows
            return False, f"{type(exc).__name__}: {exc}"
    return True, out.getvalue()


def _every_extension():
    """Every extension among the static files: WhiteNoise compresses none of them."""
    names = (path for finder in get_finders() for path, _storage in finder.list([]))
    return sorted({Path(name).suffix.lstrip(".") for name in names} - {""})


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    static_root = tmp_path_factory.mktemp("production-static") / "staticfiles"
    ok, output = collectstatic(static_root)
    return static_root, ok, output


def test_collectstatic_succeeds_with_production_settings(collected):
    static_root, ok, output = collected
    assert ok, output
    assert (static_root / "staticfiles.json").is_file()
    hashed = list((static_root / "vendor" / "leaflet").glob("leaflet.*.js"))
    assert hashed, "no hashed copy of leaflet.js"


@pytest.mark.django_db
def test_pages_render_and_static_files_are_served_with_debug_off(collected, demo, client_for):
    static_root, ok, output = collected
    assert ok, output
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=static_root,
        STORAGES=PRODUCTION_STORAGES,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        # The client loads its middleware (and WhiteNoise its file list) on the first request.
        client = client_for(demo.users["coord.riga"])
        page = client.get(reverse("service_list"))
        assert page.status_code == 200
        html = page.content.decode()
        assert "Services" in html or "services" in html
        names = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
        leaflet = [n for n in names if re.search(r"/vendor/leaflet/leaflet\.[0-9a-f]{12}\.js$", n)]
        assert leaflet, f"the page does not use the manifest names: {names}"
        assert any(re.search(r"/css/strom\.[0-9a-f]{12}\.css$", n) for n in names)
        for name in names:
            asset = client.get(name)
            assert asset.status_code == 200, name
            body = b"".join(asset.streaming_content)
            assert body
            assert b"sourceMappingURL=leaflet.js.map" not in body
        assert client.get(reverse("login")).status_code in (200, 302)

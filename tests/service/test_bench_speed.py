"""`docintake bench-speed`: the pipeline against bare OCR of the same pages, bundle by bundle."""

import json
import zipfile

import pytest

from docintake.app.cli import main
from tests.support import ETOWN
from tests.support.builders import INVOICE, LICENCE, image_pdf, make_pdf, render, scan, write_jpeg


@pytest.mark.ocr
def test_a_validation_set_is_timed_against_bare_ocr_of_its_scanned_pages(tmp_path):
    source = tmp_path / "set"
    bundle = source / ETOWN / "sub-1"
    make_pdf(bundle / "licence.pdf", [LICENCE])  # born-digital: no bare OCR
    src = make_pdf(tmp_path / "src.pdf", [INVOICE])
    write_jpeg(bundle / "invoice.jpg", scan(render(src, dpi=150)))  # a photo, decoded whole
    # A zipped bundle: its scanned PDF page is decoded from the zip's member for bare OCR too
    image_pdf(tmp_path / "scan.pdf", [scan(render(src, dpi=150), seed=2)], dpi=150)
    with zipfile.ZipFile(source / ETOWN / "sub-2.zip", "w") as packed:
        packed.write(tmp_path / "scan.pdf", "scan.pdf")
    rows = [{"bundle": "sub-1", "programme": ETOWN}, {"bundle": "sub-2.zip", "programme": ETOWN}]
    (source / "manifest.json").write_text(json.dumps({"bundles": rows}))
    assert main(["bench-speed", str(source), "--out", str(tmp_path / "out")]) == 0
    results = json.loads((tmp_path / "out" / "speed.json").read_text(encoding="utf-8"))
    folder, zipped = results["rows"]
    assert (folder["bundle"], folder["pages"], folder["unlayered"]) == ("sub-1", 2, 1)
    assert (zipped["bundle"], zipped["pages"], zipped["unlayered"]) == ("sub-2.zip", 1, 1)
    for row in (folder, zipped):
        assert row["bare_ocr_seconds"] > 0
        assert row["ratio"] == pytest.approx(row["pipeline_seconds"] / row["bare_ocr_seconds"])
    assert {"ingest", "read_text", "validate"} <= set(results["steps"])
    assert {"ocr_page", "straighten_image"} <= set(results["page_passes"])
    assert results["page_seconds"]["born_digital"][1] == 1 and results["page_seconds"]["scanned"][1] == 2
    assert results["check_peak_rss_mb"] > 100 and results["check_peak_rss_bundle"] == "sub-1"
    assert results["startup_import_seconds"] > 0 and "prefect" not in results["startup_heavy_modules"]
    printed = (tmp_path / "out" / "speed.md").read_text(encoding="utf-8")
    assert "sub-1" in printed and "裸 OCR" in printed and "峰值内存" in printed


def test_an_empty_source_is_refused_in_chinese(tmp_path, capsys):
    assert main(["bench-speed", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    assert "没有材料包" in capsys.readouterr().err


@pytest.mark.ocr
def test_the_accuracy_bench_samples_pages_against_the_same_bare_baseline(tmp_path):
    """`docintake bench` samples pages against bench-speed's baseline: the page at its native size
    (a 150 dpi scan and a 2400 px photo, not the 2000 px the pipeline reads at), read by bare
    RapidOCR in a child process, whose memory stays out of the bench's own peak."""
    from docintake.app import bench_speed
    from docintake.app.bench_speed import BareOcrProcess, bare_page_seconds

    src = make_pdf(tmp_path / "src.pdf", [INVOICE])
    page = render(src, dpi=150)
    image_pdf(tmp_path / "scan.pdf", [page], dpi=150)
    photo = render(src, dpi=240)
    write_jpeg(tmp_path / "photo.jpg", photo)
    shapes = []
    for name in ("scan.pdf", "photo.jpg"):
        assert bare_page_seconds(tmp_path / name, 1, lambda image: shapes.append(image.shape)) >= 0
    assert shapes == [page.shape, photo.shape] and max(photo.shape) > 2000
    bare = BareOcrProcess()
    try:
        assert bare.seconds(tmp_path / "photo.jpg", 1) > 0.05  # read, not just decoded
    finally:
        bare.close()
    assert bench_speed._child_engine.cache_info().currsize == 0  # the engine lived in the child

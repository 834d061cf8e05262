"""The page cache: complete readings only, encrypted and owner-only under DOCINTAKE_HOME, keyed by
content, version and settings, expired by retention, purged by file hash."""

import os
import stat
import time

from docintake.core.idnumbers import id_check_char
from docintake.core.settings import Settings
from docintake.extractors.ingest import open_bundle
from docintake.pipeline.pagecache import PageCache, cached_reader
from docintake.pipeline.steps import Context, read_file
from tests.support.builders import make_pdf

BODY = "44030519900101123"
ID = BODY + id_check_char(BODY)


def _setup(tmp_path, **settings):
    make_pdf(tmp_path / "b" / "证明.pdf", [("身份证明", [f"身份证号 {ID}"])])
    s = Settings(home=tmp_path / "home", **settings)
    file = open_bundle(tmp_path / "b", tmp_path / "work", s.limits)[0]
    reads = []

    def read(f):
        reads.append(f.name)
        return read_file(f, Context(s, tmp_path / "work", lambda *_: None))

    return s, file, reads, read


def test_a_complete_reading_is_served_from_an_encrypted_owner_only_entry(tmp_path):
    s, file, reads, read = _setup(tmp_path)
    first = cached_reader(PageCache(s), read)(file)
    second = cached_reader(PageCache(s), read)(file)
    assert reads == ["证明.pdf"] and first == second and ID in " ".join(ln.text for ln in first[0][0].lines)
    root = tmp_path / "home" / "cache" / "pages"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    for entry in root.iterdir():
        assert stat.S_IMODE(entry.stat().st_mode) == 0o600
        assert ID.encode() not in entry.read_bytes() and "身份".encode() not in entry.read_bytes()


def test_a_new_setting_or_version_is_a_miss(tmp_path):
    s, file, reads, read = _setup(tmp_path)
    cached_reader(PageCache(s), read)(file)
    cached_reader(PageCache(s.model_copy(update={"ocr_long_side": 1500})), read)(file)
    cached_reader(PageCache(s, passes=["a-new-pass"]), read)(file)
    assert len(reads) == 3


def test_a_page_cut_by_the_deadline_is_read_again(tmp_path):
    s, file, reads, read = _setup(tmp_path)

    def cut(f):
        pages, error = read(f)
        pages[0].error = "处理超过 60 秒，印章或图片区域等部分内容未识别"
        return pages, error

    cached_reader(PageCache(s), cut)(file)
    cached_reader(PageCache(s), read)(file)  # read again: the cut reading was not kept
    cached_reader(PageCache(s), read)(file)  # the complete one was
    assert len(reads) == 2
    cached_reader(PageCache(s), lambda f: ([], "文件损坏"))(file)
    assert PageCache(s).get(file) is not None  # a failed read does not replace a good entry


def test_entries_past_the_retention_expire_and_purge_removes_a_files_entries(tmp_path):
    s, file, _, read = _setup(tmp_path, cache_days=2)
    cache = PageCache(s)
    cached_reader(cache, read)(file)
    entry = cache.path(file)
    assert cache.expire() == 0 and entry.exists()
    old = time.time() - 3 * 86400
    os.utime(entry, (old, old))
    assert cache.expire() == 1 and not entry.exists()
    cached_reader(cache, read)(file)
    assert cache.purge_files([file.sha256]) == 1 and cache.get(file) is None

"""Compiled nbconvert templates shared by the jobs of one autograde worker.

评分工作进程内共享已编译的 nbconvert 模板：generate_feedback 每次都新建导出器与 jinja 环境，
把同样的模板重新编译一遍（每份提交约 0.17 s CPU）。

nbgrader's generate_feedback makes a new HTMLExporter per call, and with it a new jinja
``Environment`` that parses and compiles the same ~10 templates again. jinja's own
``BytecodeCache`` (an in-memory one here) lets every later environment of the worker load the
compiled code instead; a bucket is used only when the template's source checksum matches, and
there is one cache per environment set-up (async or not, extensions), so the output is the
same. Only the trusted worker process installs it.
"""
from __future__ import annotations

import jinja2

_CACHES: dict = {}


class MemoryBytecodeCache(jinja2.BytecodeCache):
    def __init__(self):
        self.store: dict = {}

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # ignored when the checksum differs

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def install() -> None:
    """Give every nbconvert template environment made from now on a shared cache."""
    from nbconvert.exporters.templateexporter import TemplateExporter
    if getattr(TemplateExporter._create_environment, "_course_cached", False):
        return
    make = TemplateExporter._create_environment

    def _create_environment(self):
        env = make(self)
        key = (env.is_async, tuple(sorted(env.extensions)))
        env.bytecode_cache = _CACHES.setdefault(key, MemoryBytecodeCache())
        return env

    _create_environment._course_cached = True
    TemplateExporter._create_environment = _create_environment

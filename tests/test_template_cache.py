"""autograder.template_cache: later feedback exports in a worker reuse the compiled templates
and give the same HTML. 共享编译后的模板：输出不变，不再重新编译。"""
import jinja2
import nbformat
from nbconvert import HTMLExporter
from nbconvert.exporters.templateexporter import TemplateExporter

from autograder import template_cache


def _make_nb():
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# 标题 / Title"),
        nbformat.v4.new_code_cell("print(1)", outputs=[nbformat.v4.new_output(
            "stream", name="stdout", text="1\n")])])


NB = _make_nb()  # one notebook (cell ids are random per notebook made)


def _export_counting_compiles(monkeypatch):
    calls = []
    real = jinja2.Environment.compile

    def compile(self, *a, **k):
        calls.append(1)
        return real(self, *a, **k)
    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    html, _ = HTMLExporter().from_notebook_node(NB)  # a new exporter, as nbgrader makes
    monkeypatch.setattr(jinja2.Environment, "compile", real)
    return html, len(calls)


def test_second_export_compiles_nothing_and_matches(monkeypatch):
    plain, plain_compiles = _export_counting_compiles(monkeypatch)
    assert plain_compiles > 0
    monkeypatch.setattr(TemplateExporter, "_create_environment",
                        TemplateExporter._create_environment)  # undone after the test
    monkeypatch.setattr(template_cache, "_CACHES", {})
    template_cache.install()
    template_cache.install()  # idempotent
    first, first_compiles = _export_counting_compiles(monkeypatch)
    second, second_compiles = _export_counting_compiles(monkeypatch)
    assert first_compiles == plain_compiles and second_compiles == 0
    assert plain == first == second


def test_changed_template_source_is_compiled_again():
    cache = template_cache.MemoryBytecodeCache()
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "a{{ x }}"}), bytecode_cache=cache)
    assert env.get_template("t").render(x=1) == "a1"
    env2 = jinja2.Environment(loader=jinja2.DictLoader({"t": "b{{ x }}"}), bytecode_cache=cache)
    assert env2.get_template("t").render(x=1) == "b1"

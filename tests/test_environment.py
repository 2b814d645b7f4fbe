"""environment.yml / environment-gpu.yml agree with pyproject.toml: same packages, compatible versions."""
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
CONDA_ONLY = {"python", "pip", "cuda-version"}  # not Python packages of ours


def conda_spec(text):
    """'nbgrader=0.9.6' → ('nbgrader', SpecifierSet('==0.9.6.*')); '>=1.26,<2' as in pip."""
    m = re.fullmatch(r"([A-Za-z0-9_.\-]+)\s*(.*)", text.strip())
    name, spec = m.group(1), m.group(2).replace(" ", "")
    parts = [("==" + p[1:] + ".*") if re.fullmatch(r"=[^=].*", p) else p for p in spec.split(",") if p]
    return canonicalize_name(name), SpecifierSet(",".join(parts))


def load_env(name):
    doc = yaml.safe_load((ROOT / name).read_text())
    conda, pip = {}, {}
    for dep in doc["dependencies"]:
        if isinstance(dep, dict):
            for line in dep["pip"]:
                if not line.startswith("-e"):
                    req = Requirement(line)
                    pip[canonicalize_name(req.name)] = req.specifier
        else:
            n, s = conda_spec(dep)
            conda[n] = s
    return doc, conda, pip


def project_requirements(extras=("dev",)):
    reqs = [Requirement(r) for r in PYPROJECT["dependencies"]]
    for extra in extras:
        reqs += [Requirement(r) for r in PYPROJECT["optional-dependencies"][extra]]
    return {canonicalize_name(r.name): r.specifier for r in reqs}


def lowest(spec: SpecifierSet):
    """The smallest version a specifier names with ==, >= or ~= (None when it names none)."""
    found = [Version(s.version.rstrip(".*")) for s in spec if s.operator in ("==", ">=", "~=", "===")]
    return min(found) if found else None


def compatible(a: SpecifierSet, b: SpecifierSet):
    """Both accept a common version: the lowest named by either, tried in both (pre-releases too)."""
    candidates = [v for v in (lowest(a), lowest(b)) if v is not None] or [Version("1")]
    return any(a.contains(v, prereleases=True) and b.contains(v, prereleases=True) for v in candidates)


@pytest.mark.parametrize("env", ["environment.yml", "environment-gpu.yml"])
def test_same_packages_compatible_versions(env):
    doc, conda, pip = load_env(env)
    ours = {**conda, **pip}
    wanted = project_requirements()
    assert not set(conda) & set(pip), "a package listed twice"
    missing = set(wanted) - set(ours)
    assert not missing, f"{env} lacks {sorted(missing)} from pyproject.toml"
    extra = set(ours) - set(wanted) - CONDA_ONLY - {"cupy"}
    assert not extra, f"{env} has {sorted(extra)} that pyproject.toml does not list"
    for name, spec in wanted.items():
        assert compatible(spec, ours[name]), f"{name}: pyproject '{spec}' vs {env} '{ours[name]}'"
    python = lowest(conda["python"])
    assert SpecifierSet(PYPROJECT["requires-python"]).contains(python)
    assert doc["channels"] == ["conda-forge"]
    assert any(isinstance(d, dict) and "-e ." in d["pip"] for d in doc["dependencies"])


def test_gpu_variant_is_the_base_plus_cupy():
    base_doc, base_conda, base_pip = load_env("environment.yml")
    gpu_doc, gpu_conda, gpu_pip = load_env("environment-gpu.yml")
    assert base_doc["name"] != gpu_doc["name"]
    assert gpu_pip == base_pip
    assert set(gpu_conda) - set(base_conda) == {"cupy", "cuda-version"} and "cupy" not in base_conda
    assert all(gpu_conda[n] == s for n, s in base_conda.items())
    # cuda-version must match a cupy wheel extra of pyproject (cuda12 → cupy-cuda12x)
    cuda_major = lowest(gpu_conda["cuda-version"]).major
    assert f"cuda{cuda_major}" in PYPROJECT["optional-dependencies"]
    assert PYPROJECT["optional-dependencies"][f"cuda{cuda_major}"] == [f"cupy-cuda{cuda_major}x"]


def test_conda_spec_parser():
    assert conda_spec("nbgrader=0.9.6")[1].contains("0.9.6")
    assert not conda_spec("nbgrader=0.9.6")[1].contains("0.9.7")
    assert not compatible(SpecifierSet("==0.9.6"), conda_spec("nbgrader=0.9.5")[1])
    assert not compatible(SpecifierSet(">=2.0"), SpecifierSet("<2"))
    assert compatible(SpecifierSet(">=1.26"), conda_spec("numpy>=1.26,<3")[1])

"""The pip path (requirements.txt, used by make) and the conda path (environment.yml) agree."""
import re
import sys

import yaml

from coursekit.paths import REPO_ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)$")


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-e"):
            continue
        match = PIN.match(line)
        assert match, f"not an exact pin: {line!r}"
        pins[match.group(1).lower().replace("_", "-")] = match.group(2)
    return pins


def requirements_pins() -> dict[str, str]:
    return _pins((REPO_ROOT / "requirements.txt").read_text().splitlines())


def conda_pins() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml must have exactly one pip: section"
    return _pins(pip_sections[0]), [d for d in deps if isinstance(d, str)]


def test_environment_yml_pins_the_same_packages_as_requirements():
    pip_pins, conda_deps = conda_pins()
    assert pip_pins == requirements_pins()
    assert f"python={sys.version_info.major}.{sys.version_info.minor}" in conda_deps


def test_torch_is_pinned_for_the_test_path():
    assert requirements_pins()["torch"] == "2.13.0"


def test_installed_versions_match_the_pins():
    from importlib.metadata import version

    for name, pinned in requirements_pins().items():
        installed = version(name).split("+")[0]
        assert installed == pinned, f"{name}: installed {installed}, pinned {pinned}"

"""Per-slot control groups on fake cgroup trees (v2 and v1 layouts), and on this machine's."""
from __future__ import annotations

import os

from coursekit.grading import cgroups


def fake_v2(root):
    (root / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    own = root / "grader.slice"
    own.mkdir()
    (own / "cgroup.controllers").write_text("cpu memory pids\n")
    return "0::/grader.slice\n"


def fake_v1(root):
    for controller in ("cpu", "memory", "pids"):
        (root / controller / "box").mkdir(parents=True)
    return "4:memory:/box\n3:pids:/box\n2:cpu,cpuacct:/box\n1:name=systemd:/\n"


def test_v2_caps_the_whole_slot_below_the_graders_own_group(tmp_path):
    group = cgroups.slot_cgroup("slot0", cpus=1.5, memory_mb=6144, processes=64, root=tmp_path,
                                proc_cgroup=fake_v2(tmp_path))
    folder = tmp_path / "grader.slice" / f"coursekit-{os.getpid()}" / "slot0"
    assert group.version == 2 and group.folders == [folder]
    assert (folder.parent / "cgroup.subtree_control").read_text() == "+cpu +memory +pids"
    assert (folder / "cpu.max").read_text() == "150000 100000"
    assert int((folder / "memory.max").read_text()) == (6144 + cgroups.ZYGOTE_MB) * 2**20
    assert int((folder / "pids.max").read_text()) == 64 + cgroups.ZYGOTE_TASKS


def test_v1_caps_each_controller_below_the_graders_own_groups(tmp_path):
    group = cgroups.slot_cgroup("slot1", cpus=1.0, memory_mb=4000, processes=32, root=tmp_path,
                                proc_cgroup=fake_v1(tmp_path))
    base = f"box/coursekit-{os.getpid()}/slot1"
    assert group.version == 1
    assert (tmp_path / "cpu" / base / "cpu.cfs_quota_us").read_text() == "100000"
    assert int((tmp_path / "memory" / base / "memory.limit_in_bytes").read_text()) == (4000 + cgroups.ZYGOTE_MB) * 2**20
    assert (tmp_path / "pids" / base / "pids.max").read_text() == str(32 + cgroups.ZYGOTE_TASKS)


def test_no_controllers_means_no_group_and_one_warning(tmp_path, caplog):
    (tmp_path / "cpu").mkdir()
    cgroups._said.clear()
    for _ in range(2):
        assert cgroups.slot_cgroup("slot0", cpus=1, memory_mb=64, processes=8, root=tmp_path,
                                   proc_cgroup="0::/\n") is None
    assert caplog.text.count("capped per process only") == 1


def test_this_machine_either_makes_and_removes_a_real_group_or_says_why():
    group = cgroups.slot_cgroup("slot-test", cpus=1, memory_mb=64, processes=8)
    if group is None:
        return  # logged; the hostile suite skips what needs a group
    assert all(folder.is_dir() for folder in group.folders)
    group.remove()
    assert not any(folder.exists() for folder in group.folders)

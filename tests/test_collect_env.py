"""course_lib.utils.collect_env: lesson 00's pieces and the environment report."""
from course_lib import exercises
from course_lib.utils import collect_env

SMI = "| NVIDIA-SMI 535.104.05   Driver Version: 535.104.05   CUDA Version: 12.2 |"
NVCC = "Cuda compilation tools, release 12.1, V12.1.105\nBuild cuda_12.1.r12.1/compiler.32688072_0"


def test_pieces():
    assert collect_env.parse_driver_version(SMI) == "535.104.05"
    assert collect_env.parse_driver_cuda_version(SMI) == "12.2"
    assert collect_env.parse_cuda_version(NVCC) == "12.1"
    assert collect_env.parse_driver_version("") is None and collect_env.parse_cuda_version("") is None
    assert collect_env.cuda_compatible("12.10", "12.9") and not collect_env.cuda_compatible("12.2", "12.4")


def test_run_missing_command():
    rc, out, err = collect_env.run(["no-such-command-course-lib"])
    assert rc == 127 and out == "" and "not found" in err


def test_report_survives_unfinished_and_broken_pieces(monkeypatch):
    key = "course_lib.utils.collect_env.parse_driver_version"

    def unfinished(text):
        raise exercises.ExerciseNotDone("00_setup", "parse_driver_version", key)

    monkeypatch.setitem(exercises.overrides, key, unfinished)
    monkeypatch.setattr(collect_env, "run", lambda cmd, timeout=10.0: (0, SMI, "") if cmd[0] == "nvidia-smi"
                        else (0, NVCC, ""))
    info = collect_env.get_env_info()
    assert "exercise not done" in info.nvidia_driver_version and "535.104.05" in info.nvidia_driver_version
    assert info.nvcc_cuda_version == "12.1" and info.driver_cuda_version == "12.2"
    monkeypatch.setitem(exercises.overrides, key, lambda text: 1 / 0)
    assert collect_env.get_env_info().nvidia_driver_version.startswith("error: ZeroDivisionError")
    text = collect_env.get_pretty_env_info()
    assert "course_lib 版本 / version" in text and "NVIDIA 驱动 / driver version" in text

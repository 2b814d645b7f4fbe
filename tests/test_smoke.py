import course_lib


def test_version():
    assert course_lib.__version__

"""Hidden cases for 02_numpy / from_numpy(ndarray) -> Tensor sharing the array's memory."""
from autograder.cases import case


@case("float64 向量 → float64 张量 / float64 vector → float64 tensor")
def float64_vector(piece, torch, np):
    return piece(np.array([1.5, -2.0, 3.25]))


@case("float32 矩阵 / float32 matrix")
def float32_matrix(piece, torch, np):
    g = np.random.default_rng(0)
    return piece(g.standard_normal((3, 4)).astype(np.float32))


@case("各种整数与 bool 的 dtype 对应 / dtype mapping of integers and bool")
def dtype_mapping(piece, torch, np):
    kinds = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.bool_, np.float16]
    return tuple(piece(np.array([0, 1, 1], dtype=k)) for k in kinds)


@case("修改数组后张量跟着变 / changing the array changes the tensor")
def shares_from_array(piece, torch, np):
    a = np.zeros((2, 3))
    t = piece(a)
    a[1, 2] = 5.0
    a += 1
    return t


@case("原地修改张量后数组跟着变 / changing the tensor in place changes the array")
def shares_from_tensor(piece, torch, np):
    a = np.arange(4, dtype=np.float32)
    t = piece(a)
    t.mul_(10)
    t[0] = -1.0
    return a.tolist()


@case("0 维数组 / a 0-d array")
def zero_d(piece, torch, np):
    return piece(np.array(3.5))


@case("空数组 / an empty array")
def empty(piece, torch, np):
    return piece(np.zeros((0, 3), dtype=np.int32))


@case("非连续数组（切片）仍共享内存 / a non-contiguous (sliced) array still shares memory")
def strided(piece, torch, np):
    base = np.arange(12.0).reshape(3, 4)
    t = piece(base[:, ::2])
    base[0, 0] = 100.0
    return t


@case("Fortran 顺序的数组 / a Fortran-ordered array")
def fortran(piece, torch, np):
    return piece(np.asfortranarray(np.arange(6, dtype=np.int64).reshape(2, 3)))


@case("大数值保持精确 / large values stay exact")
def large(piece, torch, np):
    return piece(np.array([2**62, -(2**62), 1], dtype=np.int64))


@case("不需要梯度、是叶子 / does not require grad, is a leaf")
def flags(piece, torch, np):
    t = piece(np.ones(2))
    return (t.requires_grad, t.is_leaf)


@case("列表不是数组 → TypeError / a list is not an array → TypeError")
def list_input(piece, torch, np):
    return piece([1.0, 2.0])


@case("object 数组 → TypeError / an object array → TypeError")
def object_array(piece, torch, np):
    return piece(np.array([1, "a"], dtype=object))


@case("字符串数组 → TypeError / a string array → TypeError")
def string_array(piece, torch, np):
    return piece(np.array(["a", "b"]))

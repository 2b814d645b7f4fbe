# "Introduction to PyTorch Tensors" (beginner_source/introyt/tensors_deeper_tutorial.py), the page's
# code in order; notebook outputs are print()ed, the matplotlib and CUDA-only cells are dropped (this
# machine has no GPU; torch.cuda.is_available() is printed). Lines marked "# parity: random" print
# values from torch.rand/torch.randn (the two libraries draw different numbers for the same seed).
import torch
import math

x = torch.empty(3, 4)
print(type(x))
print(x.shape)  # torch.empty's values are whatever memory held

zeros = torch.zeros(2, 3)
print(zeros)

ones = torch.ones(2, 3)
print(ones)

torch.manual_seed(1729)
random = torch.rand(2, 3)
print(random)  # parity: random

torch.manual_seed(1729)
random1 = torch.rand(2, 3)
print(random1)  # parity: random

random2 = torch.rand(2, 3)
print(random2)  # parity: random

torch.manual_seed(1729)
random3 = torch.rand(2, 3)
print(random3)  # parity: random

random4 = torch.rand(2, 3)
print(random4)  # parity: random
print(torch.equal(random1, random3), torch.equal(random2, random4))

x = torch.empty(2, 2, 3)
print(x.shape)

empty_like_x = torch.empty_like(x)
print(empty_like_x.shape)

zeros_like_x = torch.zeros_like(x)
print(zeros_like_x.shape)
print(zeros_like_x)

ones_like_x = torch.ones_like(x)
print(ones_like_x.shape)
print(ones_like_x)

rand_like_x = torch.rand_like(x)
print(rand_like_x.shape)

some_constants = torch.tensor([[3.1415926, 2.71828], [1.61803, 0.0072897]])
print(some_constants)

some_integers = torch.tensor((2, 3, 5, 7, 11, 13, 17, 19))
print(some_integers)

more_integers = torch.tensor(((2, 4, 6), [3, 6, 9]))
print(more_integers)

a = torch.ones((2, 3), dtype=torch.int16)
print(a)

b = torch.rand((2, 3), dtype=torch.float64) * 20.
print(b)  # parity: random

c = b.to(torch.int32)
print(c)  # parity: random

ones = torch.zeros(2, 2) + 1
twos = torch.ones(2, 2) * 2
threes = (torch.ones(2, 2) * 7 - 1) / 2
fours = twos ** 2
sqrt2s = twos ** 0.5

print(ones)
print(twos)
print(threes)
print(fours)
print(sqrt2s)

powers2 = twos ** torch.tensor([[1, 2], [3, 4]])
print(powers2)

fives = ones + fours
print(fives)

dozens = threes * fours
print(dozens)

a = torch.rand(2, 3)
b = torch.rand(3, 2)
try:
    print(a * b)
except RuntimeError as e:
    print(type(e).__name__, e)

rand = torch.rand(2, 4)
doubled = rand * (torch.ones(1, 4) * 2)

print(rand)  # parity: random
print(doubled)  # parity: random
print(torch.equal(doubled, rand * 2))

a = torch.ones(4, 3, 2)

b = a * torch.rand(3, 2)  # 3rd & 2nd dims identical to a, dim 1 absent
print(b.shape)

c = a * torch.rand(3, 1)  # 3rd dim = 1, 2nd dim identical to a
print(c.shape)

d = a * torch.rand(1, 2)  # 3rd dim identical to a, 2nd dim = 1
print(d.shape)

a = torch.ones(4, 3, 2)

for shape in [(4, 3), (2, 3), ()]:
    try:
        b = a * torch.rand(*shape) if shape else a * torch.rand(())
        print(b.shape)
    except RuntimeError as e:
        print(type(e).__name__, e)

try:
    c = a * torch.rand(2, 3)  # dimensions must match last-to-first
except RuntimeError as e:
    print(type(e).__name__, e)

try:
    d = a * torch.rand((0, ))  # can't broadcast with an empty tensor
except RuntimeError as e:
    print(type(e).__name__, e)

# common functions
a = torch.rand(2, 4) * 2 - 1
print('Common functions:')
print(torch.abs(a))  # parity: random
print(torch.ceil(a))  # parity: random
print(torch.floor(a))  # parity: random
print(torch.clamp(a, -0.5, 0.5))  # parity: random

# trigonometric functions and their inverses
angles = torch.tensor([0, math.pi / 4, math.pi / 2, 3 * math.pi / 4])
sines = torch.sin(angles)
inverses = torch.asin(sines)
print('\nSine and arcsine:')
print(angles)
print(sines)
print(inverses)

# bitwise operations
print('\nBitwise XOR:')
b = torch.tensor([1, 5, 11])
c = torch.tensor([2, 7, 10])
print(torch.bitwise_xor(b, c))

# comparisons:
print('\nBroadcasted, element-wise equality comparison:')
d = torch.tensor([[1., 2.], [3., 4.]])
e = torch.ones(1, 2)  # many comparison ops support broadcasting!
print(torch.eq(d, e))  # returns a tensor of type bool

# reductions:
print('\nReduction ops:')
print(torch.max(d))        # returns a single-element tensor
print(torch.max(d).item())  # extracts the value from the returned tensor
print(torch.mean(d))       # average
print(torch.std(d))        # standard deviation
print(torch.prod(d))       # product of all numbers
print(torch.unique(torch.tensor([1, 2, 1, 2, 1, 2])))  # filter unique elements

# vector and linear algebra operations
v1 = torch.tensor([1., 0., 0.])         # x unit vector
v2 = torch.tensor([0., 1., 0.])         # y unit vector
m1 = torch.rand(2, 2)                   # random matrix
m2 = torch.tensor([[3., 0.], [0., 3.]])  # three times identity matrix

print('\nVectors & Matrices:')
print(torch.linalg.cross(v2, v1))  # negative of z unit vector (v1 x v2 == -v2 x v1)
print(m1)  # parity: random
m3 = torch.linalg.matmul(m1, m2)
print(m3)  # parity: random
print(torch.allclose(m3, m1 * 3))
print(torch.linalg.svd(m3).S.shape)  # singular value decomposition

a = torch.linspace(0, 2 * math.pi, steps=9)
print('a:')
print(a)
print(torch.sin(a))   # this operation creates a new tensor in memory
print(a)              # a has not changed

b = torch.linspace(0, 2 * math.pi, steps=9)
print('\nb:')
print(b)
print(torch.sin_(b))  # note the underscore
print(b)              # b has changed

a = torch.ones(2, 2)
b = torch.rand(2, 2)

print('Before:')
print(a)
print(b)  # parity: random
print('\nAfter adding:')
print(a.add_(b))  # parity: random
print(a)  # parity: random
print(b)  # parity: random
print('\nAfter multiplying')
print(b.mul_(b))  # parity: random
print(b)  # parity: random

a = torch.rand(2, 2)
b = torch.rand(2, 2)
c = torch.zeros(2, 2)
old_id = id(c)

print(c)
d = torch.matmul(a, b, out=c)
print(c)  # parity: random

assert c is d           # test c & d are same object, not just containing equal values
assert id(c) == old_id  # make sure that our new c is the same object as the old one

torch.rand(2, 2, out=c)  # works for creation too!
print(c)  # parity: random
assert id(c) == old_id  # still the same object!

a = torch.ones(2, 2)
b = a

a[0][1] = 561  # we change a...
print(b)       # ...and b is also altered

a = torch.ones(2, 2)
b = a.clone()

assert b is not a      # different objects in memory...
print(torch.eq(a, b))  # ...but still with the same contents!

a[0][1] = 561          # a changes...
print(b)               # ...but b is still all ones

a = torch.rand(2, 2, requires_grad=True)  # turn on autograd
print(a)  # parity: random

b = a.clone()
print(b)  # parity: random

c = a.detach().clone()
print(c)  # parity: random

print(a)  # parity: random

print(torch.cuda.is_available())

a = torch.rand(3, 226, 226)
b = a.unsqueeze(0)

print(a.shape)
print(b.shape)

c = torch.rand(1, 1, 1, 1, 1)
print(c)  # parity: random

a = torch.rand(1, 20)
print(a.shape)
print(a)  # parity: random

b = a.squeeze(0)
print(b.shape)
print(b)  # parity: random

c = torch.rand(2, 2)
print(c.shape)

d = c.squeeze(0)
print(d.shape)

a = torch.ones(4, 3, 2)

c = a * torch.rand(3, 1)  # 3rd dim = 1, 2nd dim identical to a
print(c)  # parity: random

a = torch.ones(4, 3, 2)
b = torch.rand(3)     # trying to multiply a * b will give a runtime error
c = b.unsqueeze(1)    # change to a 2-dimensional tensor, adding new dim at the end
print(c.shape)
print(a * c)  # parity: random

batch_me = torch.rand(3, 226, 226)
print(batch_me.shape)
batch_me.unsqueeze_(0)
print(batch_me.shape)

output3d = torch.rand(6, 20, 20)
print(output3d.shape)

input1d = output3d.reshape(6 * 20 * 20)
print(input1d.shape)

# can also call it as a method on the torch module:
print(torch.reshape(output3d, (6 * 20 * 20,)).shape)

import numpy as np

numpy_array = np.ones((2, 3))
print(numpy_array)

pytorch_tensor = torch.from_numpy(numpy_array)
print(pytorch_tensor)

pytorch_rand = torch.rand(2, 3)
print(pytorch_rand)  # parity: random

numpy_rand = pytorch_rand.numpy()
print(numpy_rand)  # parity: random

numpy_array[1, 1] = 23
print(pytorch_tensor)

pytorch_rand[1, 1] = 17
print(numpy_rand)  # parity: random
print(numpy_rand[1, 1])

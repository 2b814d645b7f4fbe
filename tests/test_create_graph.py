"""create_graph=True for every op: double backward checked by gradgradcheck and against torch.

Every grad_fn the library defines has a row below (an expression that builds it). For each row:
the graph really contains that node; ``gradgradcheck`` (finite differences of the first
gradients, float64) passes; first gradients and Hessian-vector products equal torch's.
"""
import sys
from pathlib import Path

import numpy as np
import pytest

import course_lib
from course_lib.autograd import gradgradcheck

sys.path.insert(0, str(Path(__file__).resolve().parent / "fixtures"))
from second_order import assert_same, derivatives, leaves  # noqa: E402

torch = pytest.importorskip("torch")

# grad_fn name -> expression (torch's syntax; T is the library, F its nn.functional)
CASES = {
    "AbsBackward0": "a.abs()",
    "AcosBackward0": "u.acos()",
    "AcoshBackward0": "(p + 1).acosh()",
    "AdaptiveAvgPool2DBackward0": "F.adaptive_avg_pool2d(img, 2)",
    "AddBackward0": "a + b",
    "AddBackward1": "F.pairwise_distance(a, b, p=3) ** 2",
    "AddmmBackward0": "F.linear(a, w, c)",
    "AliasBackward0": "a[...] * a",
    "AmaxBackward0": "a.amax(1)",
    "AminBackward0": "a.amin(1)",
    "AsStridedBackward0": "view_after_inplace(a)",
    "AsinBackward0": "u.asin()",
    "AsinhBackward0": "a.asinh()",
    "Atan2Backward0": "a.atan2(p)",
    "AtanBackward0": "a.atan()",
    "AtanhBackward0": "u.atanh()",
    "AvgPool2DBackward0": "F.avg_pool2d(img, 2)",
    "BernoulliBackward2": "a.clone().bernoulli_(0.5) * 0 + a * a",
    "BinaryCrossEntropyBackward0": "F.binary_cross_entropy(pr, t01)",
    "BinaryCrossEntropyWithLogitsBackward0": "F.binary_cross_entropy_with_logits(a, t01, pos_weight=t01[0] + 0.5)",
    "BlockDiagBackward0": "T.block_diag(a, v, c2[0]) ** 2",
    "BmmBackward0": "T.bmm(a3, b3)",
    "CatBackward0": "T.cat([a, b], 1) * T.cat([b, a], 1)",
    "CdistBackward0": "T.cdist(a, w) + T.cdist(a, w, 1.5) + T.cdist(a, w, 3)",
    "CeilBackward0": "a.ceil() + a * a",
    "CeluBackward0": "F.celu(a)",
    "CeluBackward1": "F.celu_(a * 2, 1.5) * a",
    "ClampBackward1": "a.clamp(-0.5, 0.5) * a",
    "ClampMaxBackward0": "a.clamp_max(0.1) * a",
    "ClampMaxBackward1": "a.clamp_max(b) * a",
    "ClampMinBackward0": "a.clamp_min(0.1) * a",
    "ClampMinBackward1": "a.clamp_min(b) * a",
    "CloneBackward0": "a.clone() * a",
    "ConstantPadNdBackward0": "F.pad(a, (1, 1)) ** 2",
    "ConvolutionBackward0": "F.conv2d(img, k, kb)",
    "CopyBackwards": "T.zeros(2, 3, dtype=T.float64).copy_(a) * a",
    "CopySlices": "set_row(a.clone() * a, b)",
    "CosBackward0": "a.cos()",
    "CoshBackward0": "a.cosh()",
    "CummaxBackward0": "a.cummax(1)[0] * a",
    "CumminBackward0": "a.cummin(0)[0] * a",
    "CumprodBackward0": "a.cumprod(1) * a",
    "CumsumBackward0": "a.cumsum(1) * a",
    "Deg2RadBackward0": "a.deg2rad() * a",
    "DiagEmbedBackward0": "T.diag_embed(a, 1) ** 2",
    "DiagonalBackward0": "sq.diagonal(1) ** 2 + T.linalg.diagonal(a3, offset=-1) ** 2",
    "DivBackward0": "a / p",
    "DivBackward1": "T.trapezoid(a * a, v2)",
    "DistBackward0": "T.dist(a, b, 1.5) + T.dist(a, v, 3)",
    "DotBackward0": "T.dot(v, v2)",
    "EinsumBackward0": "T.einsum('ij,jk->ik', a, m)",
    "EluBackward0": "F.elu(a)",
    "EluBackward1": "F.elu_(a * 2) * a",
    "EmbeddingBackward0": "F.embedding(T.tensor([[0, 2], [1, 0]]), emb) ** 2",
    "ErfBackward0": "a.erf()",
    "ErfcBackward0": "a.erfc()",
    "ErfinvBackward0": "u.erfinv()",
    "EuclideanDistBackward0": "T.cdist(a, w, compute_mode='use_mm_for_euclid_dist')",
    "Exp2Backward0": "a.exp2()",
    "ExpBackward0": "a.exp()",
    "ExpandBackward0": "v.expand(2, 3) * a",
    "Expm1Backward0": "a.expm1()",
    "FillBackward2": "a.clone().fill_(2.0) * a",
    "FillBackward3": "a.clone().fill_(T.tensor(2.0)) * a",
    "FlipBackward0": "a.flip(0) * a",
    "FloorBackward0": "a.floor() + a * a",
    "FmodBackward0": "a.fmod(0.3) * a",
    "FmodBackward1": "a.fmod(p) * a",
    "FracBackward0": "a.frac() * a",
    "GatherBackward0": "a.gather(1, T.tensor([[0, 1], [2, 2]])) ** 2",
    "GeluBackward0": "F.gelu(a)",
    "GluBackward0": "F.glu(a3) * a3[..., :2]",
    "HardshrinkBackward0": "F.hardshrink(a * 2, 0.5) * a",
    "HardsigmoidBackward0": "F.hardsigmoid(a * 2) * a",
    "HardswishBackward0": "F.hardswish(a * 2)",
    "HardtanhBackward0": "F.hardtanh(a * 2) * a",
    "HuberLossBackward0": "F.huber_loss(a, b, delta=0.5) * a.sum()",
    "HypotBackward0": "a.hypot(b)",
    "IndexBackward0": "a[[0, 1, 1], [1, 2, 2]] ** 2",
    "IndexAddBackward0": "a.index_add(1, T.tensor([2, 0, 2]), b * b, alpha=2) ** 2",
    "IndexPutBackward0": "put_adv(a * 1, v[:2] * v[1:]) ** 2",
    "IndexSelectBackward0": "a.index_select(1, T.tensor([0, 2, 2])) ** 2",
    "KthvalueBackward0": "a.kthvalue(2, 1)[0] ** 2",
    "LeakyReluBackward0": "F.leaky_relu(a, 0.1) * a",
    "LeakyReluBackward1": "F.leaky_relu_(a * 2, 0.1) * a",
    "LerpBackward0": "a.lerp(b, 0.3) ** 2",
    "LerpBackward1": "T.lerp(a, b, p * 0.3) * a",
    "LinalgCrossBackward0": "T.linalg.cross(a, b) * a",
    "LinalgDetBackward0": "T.linalg.det(sq)",
    "LinalgInvExBackward0": "T.linalg.inv(sq)",
    "LinalgSlogdetBackward0": "T.linalg.slogdet(sq)[1]",
    "LinalgSolveExBackward0": "T.linalg.solve(sq, m)",
    "LinalgSvdBackward0": "T.linalg.svdvals(a)",
    "LinalgVectorNormBackward0": "a.norm()",
    "Log10Backward0": "p.log10()",
    "Log1PBackward0": "p.log1p()",
    "Log2Backward0": "p.log2()",
    "LogBackward0": "p.log()",
    "LogSigmoidBackward0": "F.logsigmoid(a)",
    "LogSoftmaxBackward0": "a.log_softmax(1)",
    "LogcumsumexpBackward0": "a.logcumsumexp(1) * a",
    "LogitBackward0": "pr.logit() + pr.logit(0.2)",
    "LogsumexpBackward0": "a.logsumexp(1)",
    "MaskedFillBackward0": "a.masked_fill(a > 0, 0.0) * a",
    "MaskedSelectBackward0": "a.masked_select(a > 0) ** 2",
    "MaxBackward0": "a.max(dim=1)[0] ** 2",
    "MaxBackward1": "a.max() ** 2",
    "MaxPool2DWithIndicesBackward0": "F.max_pool2d(img, 2) ** 2",
    "MaximumBackward0": "a.maximum(b) ** 2",
    "MeanBackward0": "a.mean() ** 2",
    "MeanBackward1": "a.mean(1) ** 2",
    "MedianBackward0": "a.median() * a",
    "MedianBackward1": "a.median(1)[0] ** 2",
    "MinBackward0": "a.min(dim=1)[0] ** 2",
    "MinBackward1": "a.min() ** 2",
    "MinimumBackward0": "a.minimum(b) ** 2",
    "MishBackward0": "F.mish(a)",
    "MmBackward0": "a @ m",
    "ModeBackward0": "a.mode(1)[0] ** 2",
    "MseLossBackward0": "F.mse_loss(a, b)",
    "MulBackward0": "a * b",
    "MulBackward1": "T.trapezoid(a * a, dx=0.5) + T.cumulative_trapezoid(a * a, dx=2)",
    "MvBackward0": "a @ v",
    "NanToNumBackward0": "a.nan_to_num() ** 2",
    "NanmedianBackward0": "a.nanmedian() * a",
    "NanmedianBackward1": "a.nanmedian(0, True)[0] * a",
    "NansumBackward0": "a.nansum(1) ** 2",
    "NativeBatchNormBackward0": "F.batch_norm(a, None, None, c3, c3 * 2, training=True)",
    "NativeGroupNormBackward0": "F.group_norm(img2, 2, c, c * 3)",
    "NativeLayerNormBackward0": "F.layer_norm(a, (3,), c3, c3 * 2)",
    "NegBackward0": "-a * a",
    "NllLossBackward0": "F.nll_loss(a ** 2, T.tensor([0, 2]))",
    "NormBackward1": "F.pairwise_distance(a, b, p=1.5, keepdim=True) * a",
    "NormalBackward0": "a.clone().normal_() * 0 + a * a",
    "ExponentialBackward0": "a.clone().exponential_() * 0 + a * a",
    "GeometricBackward0": "a.clone().geometric_(0.3) * 0 + a * a",
    "CauchyBackward0": "a.clone().cauchy_() * 0 + a * a",
    "LogNormalBackward0": "a.clone().log_normal_() * 0 + a * a",
    "PermuteBackward0": "a.permute(1, 0) ** 2",
    "PowBackward0": "p ** 2.5",
    "PowBackward1": "p ** b",
    "PowBackward2": "2 ** a",
    "PreluKernelBackward0": "F.prelu(img2, c) * img2",
    "ProdBackward0": "a.prod()",
    "ProdBackward1": "a.prod(1)",
    "Rad2DegBackward0": "a.rad2deg() * a",
    "RandomBackward0": "a.clone().random_(1, 5) * 0 + a * a",
    "RandomBackward1": "a.clone().random_(5) * 0 + a * a",
    "RandomBackward2": "a.clone().random_() * 0 + a * a",
    "ReciprocalBackward0": "p.reciprocal()",
    "ReflectionPad1DBackward0": "F.pad(a3, (1, 1), mode='reflect') ** 2",
    "ReflectionPad2DBackward0": "F.pad(img, (1, 1, 1, 1), mode='reflect') ** 2",
    "ReflectionPad3DBackward0": "F.pad(vol, (1, 1, 1, 1, 1, 1), mode='reflect') ** 2",
    "ReluBackward0": "a.relu() * a",
    "RemainderBackward0": "a.remainder(p * 3) * a",
    "RepeatBackward0": "a.repeat(2, 1) ** 2",
    "ReplicationPad1DBackward0": "F.pad(a3, (1, 1), mode='replicate') ** 2",
    "ReplicationPad2DBackward0": "F.pad(img, (1, 1, 1, 1), mode='replicate') ** 2",
    "ReplicationPad3DBackward0": "F.pad(vol, (1, 1, 1, 1, 1, 1), mode='replicate') ** 2",
    "ReshapeAliasBackward0": "a.t().reshape(3, 2) ** 2",
    "RollBackward0": "a.roll(1, 1) * a",
    "Rot90Backward0": "T.rot90(a) ** 2",
    "RoundBackward0": "a.round() + a * a",
    "RoundBackward1": "a.round(decimals=1) + a * a",
    "RsqrtBackward0": "p.rsqrt()",
    "RsubBackward1": "(1 - a) ** 2",
    "ScatterAddBackward0": "a.scatter_add(1, T.tensor([[2, 0, 2]]), b[:1] * b[1:]) ** 2",
    "ScatterBackward0": "a.scatter(1, T.tensor([[2, 0], [1, 2]]), b[:, :2] * b[:, 1:]) ** 2",
    "ScatterBackward1": "a.scatter(1, T.tensor([[2], [0]]), 0.5) ** 2",
    "SelectBackward0": "a[0] ** 2",
    "SigmoidBackward0": "a.sigmoid()",
    "SignBackward0": "a.sign() + a * a",
    "SiluBackward0": "F.silu(a)",
    "SinBackward0": "a.sin()",
    "SincBackward0": "a.sinc()",
    "SinhBackward0": "a.sinh()",
    "SliceBackward0": "a[:, 1:] ** 2",
    "SmoothL1LossBackward0": "F.smooth_l1_loss(a, b, beta=0.7) * a.sum()",
    "SoftmaxBackward0": "a.softmax(1)",
    "SoftplusBackward0": "F.softplus(a)",
    "SoftshrinkBackward0": "F.softshrink(a * 2, 0.5) * a",
    "SortBackward0": "a.sort(1)[0] ** 2",
    "SplitBackward0": "a.split(1)[0] ** 2",
    "SplitWithSizesBackward0": "a.split([1, 2], 1)[1] ** 2",
    "SqrtBackward0": "p.sqrt()",
    "SqueezeBackward0": "a[None].squeeze() ** 2",
    "SqueezeBackward1": "a[None].squeeze(0) ** 2",
    "SqueezeBackward2": "a[None, :, None].squeeze((0, 2)) ** 2",
    "SqueezeBackward3": "(a[None] * 1).squeeze_() ** 2",
    "SqueezeBackward4": "T.matmul(v, m)",
    "SqueezeBackward5": "(a[None, :, None] * 1).squeeze_((0, 2)) ** 2",
    "StackBackward0": "T.stack([a, b]) ** 2",
    "StdBackward0": "a.std()",
    "SubBackward0": "(a - b) ** 2",
    "SumBackward0": "a.sum() ** 2",
    "SumBackward1": "a.sum(1) ** 2",
    "TBackward0": "a.t() ** 2",
    "TBackward1": "(a * 1).t_() @ m.t()",
    "TanBackward0": "u.tan()",
    "TakeBackward0": "a.take(T.tensor([[0, 5], [5, 2]])) ** 2",
    "TanhBackward0": "a.tanh()",
    "ThresholdBackward0": "F.threshold(a * 2, 0.1, 2.0) * a",
    "ThresholdBackward1": "F.threshold_(a * 2, 0.1, 2.0) * a",
    "ToCopyBackward0": "a.to(T.float64, copy=True) ** 2",
    "TopkBackward0": "a.topk(2, 1)[0] ** 2",
    "TraceBackward0": "sq.trace() ** 2",
    "TransposeBackward0": "a.transpose(0, 1) ** 2",
    "TransposeBackward1": "(a3 * 1).transpose_(0, 2) ** 2",
    "TrilBackward0": "sq.tril() ** 2",
    "TriuBackward0": "sq.triu() ** 2",
    "TruncBackward0": "a.trunc() + a * a",
    "UnbindBackward0": "a.unbind(0)[1] ** 2",
    "UniformBackward0": "a.clone().uniform_() * 0 + a * a",
    "UnsafeViewBackward0": "T.matmul(a3, m4)",
    "UnsqueezeBackward0": "a.unsqueeze(0) ** 2",
    "UnsqueezeBackward1": "(a * 1).unsqueeze_(1) ** 2",
    "VarBackward0": "a.var(0)",
    "VdotBackward0": "T.vdot(v, v2)",
    "ViewBackward0": "a.view(6) ** 2",
    "WhereBackward0": "T.where(a > 0, a, b) ** 2",
    "XlogyBackward0": "a.xlogy(p)",
    "XlogyBackward1": "T.xlogy(2.5, p)",
    "XlogyBackward2": "a.xlogy(2.5) * a",
    "ZeroBackward0": "a.clone().zero_() + a * a",
    "AminmaxBackward0": "(lambda r: r.min * r.max)(T.aminmax(a, dim=1)) + T.aminmax(a).max",
    "CopysignBackward0": "T.copysign(a, b) * a",
    "CopysignBackward1": "T.copysign(a, -1.5) * a",
    "DiagonalBackward0_copy": "T.diag(sq, 1) ** 2 + T.diag(m) ** 2",
    "FmaxBackward0": "T.fmax(a, b) * a",
    "FminBackward0": "T.fmin(a, b) * b",
    "IndexCopyBackward0": "a.index_copy(1, T.tensor([2, 0]), b[:, :2]) ** 2",
    "IndexFillBackward0": "a.index_fill(1, T.tensor([0, 2]), 0.5) ** 2",
    "IndexFillBackward1": "a.index_fill(1, T.tensor([1]), v[0]) ** 2",
    "LdexpBackward0": "T.ldexp(a, b)",
    "Logaddexp2Backward0": "T.logaddexp2(a, b)",
    "LogaddexpBackward0": "T.logaddexp(a, b)",
    "SgnBackward0": "a.sgn() + a * a",
    "StdMeanBackward0": "(lambda sm: sm[0] * sm[1])(T.std_mean(a, 1, keepdim=True))",
    "UnfoldBackward0": "(a.unfold(1, 2, 1) ** 2).sum(0) + (a3.unfold(2, 2, 2) ** 2).sum((0, 1))",
    "VarMeanBackward0": "(lambda vm: vm[0] * vm[1])(T.var_mean(a, 0))",
    "UpsampleNearest1DBackward0": "F.interpolate(a3, scale_factor=1.5) ** 2",
    "UpsampleNearest2DBackward0": "F.interpolate(img, size=(3, 5)) ** 2",
    "UpsampleNearest3DBackward0": "F.interpolate(vol, scale_factor=0.7) ** 2",
    "UpsampleNearestExact1DBackward0": "F.interpolate(a3, size=6, mode='nearest-exact') ** 2",
    "UpsampleNearestExact2DBackward0": "F.interpolate(img, size=3, mode='nearest-exact') ** 2",
    "UpsampleNearestExact3DBackward0": "F.interpolate(vol, size=(3, 2, 4), mode='nearest-exact') ** 2",
    "UpsampleLinear1DBackward0": "F.interpolate(a3, size=7, mode='linear') ** 2",
    "UpsampleBilinear2DBackward0": "F.interpolate(img, scale_factor=1.5, mode='bilinear') ** 2 "
    "+ F.interpolate(img, size=3, mode='bilinear', align_corners=True).sum()",
    "UpsampleTrilinear3DBackward0": "F.interpolate(vol, size=(3, 4, 2), mode='trilinear') ** 2",
    "UpsampleBicubic2DBackward0": "F.interpolate(img, size=(5, 3), mode='bicubic') ** 2",
    "Im2ColBackward0": "F.unfold(img, 2, padding=1, stride=(1, 2)) ** 2",
    "Col2ImBackward0": "F.fold(F.unfold(img, 3, padding=1) * 1.5, (4, 4), 3, padding=1) ** 2",
    "PixelShuffleBackward0": "F.pixel_shuffle(img2, 2) ** 2",
    "PixelUnshuffleBackward0": "F.pixel_unshuffle(img, 2) ** 2",
    "SoftMarginLossBackward0": "F.soft_margin_loss(a, T.sign(b).detach(), reduction='none')",
    "MultiMarginLossBackward0": "F.multi_margin_loss(a, T.tensor([0, 2]), 2, 2.0, "
    "reduction='none')",  # (positional: "p" would name a leaf of the environment)
    "MultilabelMarginLossBackward0": "F.multilabel_margin_loss(a, T.tensor([[0, -1, 1], "
    "[2, 1, -1]])) * a.sum()",
    "AdaptiveMaxPool2DBackward0": "F.adaptive_max_pool2d(img, (3, 2)) ** 2",
    "RreluWithNoiseBackward0": "F.rrelu(a) * a",
    "AddmvBackward0": "T.addmv(c2, a, v, beta=0.5, alpha=2.0) ** 2",
    "AddrBackward0": "T.addr(a, c2, v, alpha=-1.5) ** 2",
    "BaddbmmBackward0": "T.baddbmm(T.ones(2, 3, 2, dtype=T.float64) * c2, a3, b3, beta=2.0) ** 2",
    "AddbmmBackward0": "T.addbmm(c2, a3, b3, alpha=0.5) ** 2",
    "LgammaBackward0": "p.lgamma()",
    "DigammaBackward0": "p.digamma()",
    "PolygammaBackward0": "T.polygamma(2, p)",
    "PolygammaBackward1": "(p * 1).polygamma_(1)",
    "MvlgammaBackward0": "T.mvlgamma(p + 1, 3)",
    "EqBackward0": "a.clone().eq_(0.1) * 0 + a * a",
    "EqBackward1": "a.clone().eq_(b) * 0 + a * b",
    "NeBackward0": "a.clone().ne_(0.1) * 0 + a * a",
    "NeBackward1": "a.clone().ne_(b) * 0 + a * b",
    "LtBackward0": "a.clone().lt_(0.1) * 0 + a * a",
    "LtBackward1": "a.clone().lt_(b) * 0 + a * b",
    "LeBackward0": "a.clone().le_(0.1) * 0 + a * a",
    "LeBackward1": "a.clone().le_(b) * 0 + a * b",
    "GtBackward0": "a.clone().gt_(0.1) * 0 + a * a",
    "GtBackward1": "a.clone().gt_(b) * 0 + a * b",
    "GeBackward0": "a.clone().ge_(0.1) * 0 + a * a",
    "GeBackward1": "a.clone().ge_(b) * 0 + a * b",
    "MaskedScatterBackward0": "a.masked_scatter(t01 > 0.5, v2.repeat(2) * 3) ** 2",
    "PutBackward0": "a.put(T.tensor([4, 0]), c2 * 2) ** 2 + a.put(T.tensor([1, 1]), c2, True) ** 2",
    "SliceScatterBackward0": "T.slice_scatter(a, m[:2] * 2, 1, 0, 3, 2) ** 2",
    "SelectScatterBackward0": "T.select_scatter(a, c2 * 3, 1, -1) ** 2",
    "DiagonalScatterBackward0": "T.diagonal_scatter(a, c2 * 2, 1) ** 2",
}
# nodes that are no op of their own: the leaf accumulator and the bases of user Functions
# (a user Function's double backward is checked below with its own backward formula)
NOT_OPS = {"AccumulateGrad", "BackwardCFunction", "FunctionBackward",
           # an op torch has no derivative for (heaviside): its node raises at backward
           "NotImplemented",
           # in-place forms torch cannot differentiate even once (x.asinh_(): its error)
           "AcoshBackward1", "AsinhBackward1", "AtanhBackward1"}
# second rows of a node whose op has another form (checked like CASES, named "node (form)")
EXTRA_ROWS = {"IndexPutBackward0 (accumulate)":
              "T.index_put(a, (T.tensor([0, 0, 1]), T.tensor([2, 2, 0])), v * v, True) ** 2",
              "LinalgSolveExBackward0 (left=False, vector)":
              "T.linalg.solve(sq, m.t(), left=False) + T.linalg.solve(sq, v).sum()",
              "LinalgVectorNormBackward0 (ord, dim)":
              "T.linalg.vector_norm(a, 3, 1) + T.linalg.vector_norm(a, 0.5, 1) "
              "+ T.linalg.vector_norm(a, 1, 1) + T.linalg.vector_norm(a, -1, 1)",
              "LinalgVectorNormBackward0 (inf, keepdim)":
              "T.linalg.vector_norm(a, float('inf'), 0, keepdim=True) * a "
              "+ T.linalg.vector_norm(a, -float('inf'), 1, keepdim=True)",
              "LerpBackward1 (quantile)":
              "a.quantile(T.tensor([0.3, 0.8], dtype=T.float64), 1).sum() * a + a.quantile(0.4) * a",
              "LinalgDetBackward0 (batch)": "T.linalg.det(a3[:, :2, :2] + a3[:, 1:, 2:])",
              "LinalgSvdBackward0 (U, Vh)": "T.linalg.svd(a, full_matrices=False).U.abs() "
              "+ T.linalg.svd(m, full_matrices=False).Vh.abs() * T.linalg.svd(sq).S[:2]"}
# rows whose op torch cannot differentiate twice ("derivative for aten::hardsigmoid_backward is
# not implemented"): torch's side computes the same function with ops that it can
TORCH_ROWS = {"HardsigmoidBackward0": "F.hardtanh(a * 2 + 3, 0.0, 6.0) / 6 * a",
              # derivative for aten::multi_margin_loss_backward is not implemented
              "MultiMarginLossBackward0": "((2.0 - a.gather(1, T.tensor([[0], [2]])) + a)"
              ".clamp_min(0) ** 2 * T.tensor([[0., 1, 1], [1, 1, 0]], dtype=T.float64)).sum(1) / 3",
              # derivative for aten::multilabel_margin_loss_backward is not implemented
              "MultilabelMarginLossBackward0": "((1 - (a[0, 0] - a[0, 1:])).clamp_min(0).sum() "
              "+ (1 - (a[1, 1:] - a[1, 0])).clamp_min(0).sum()) / 6 * a.sum()",
              # derivative for _cdist_backward is not implemented
              "CdistBackward0": "((a[:, None] - w[None]) ** 2).sum(-1).sqrt() "
              "+ ((a[:, None] - w[None]).abs() ** 1.5).sum(-1) ** (1 / 1.5) "
              "+ ((a[:, None] - w[None]).abs() ** 3).sum(-1) ** (1 / 3)"}


def _env(T, seed=0):
    g = np.random.default_rng(seed)

    def t(*shape, low=None, high=None, grad=True):
        x = g.uniform(low, high, shape) if low is not None else g.standard_normal(shape)
        return T.tensor(x, dtype=T.float64, requires_grad=grad)

    def set_row(z, src):
        z[0] = src[1] * src[1]
        return z

    def put_adv(z, val):
        z[T.tensor([0, 1]), T.tensor([2, 0])] = val
        return z

    def view_after_inplace(x):
        z = x.clone()
        row = z[0]
        z.mul_(2)  # the view's grad_fn becomes AsStridedBackward0
        return row * row

    return {
        "T": T, "F": T.nn.functional, "set_row": set_row, "put_adv": put_adv,
        "view_after_inplace": view_after_inplace,
        "a": t(2, 3), "b": t(2, 3), "m": t(3, 2), "v": t(3), "v2": t(3), "w": t(4, 3), "c": t(4),
        "c2": t(2), "c3": t(3), "p": t(2, 3, low=0.5, high=2.0), "u": t(2, 3, low=-0.8, high=0.8),
        "pr": t(2, 3, low=0.1, high=0.9), "t01": t(2, 3, low=0.0, high=1.0, grad=False),
        "a3": t(2, 3, 4), "b3": t(2, 4, 2), "m4": t(4, 2), "sq": t(3, 3), "emb": t(3, 2),
        "img": t(1, 1, 4, 4), "img2": t(1, 4, 2, 2), "vol": t(1, 1, 2, 3, 3),
        "k": t(2, 1, 2, 2), "kb": t(2),
    }


def _names(fn, seen=None):
    seen = set() if seen is None else seen
    stack = [fn]
    while stack:
        f = stack.pop()
        if f is None or f in seen:
            continue
        seen.add(f)
        stack.extend(n for n, _ in getattr(f, "next_functions", ()))
    return {type(f).__name__ for f in seen}


def _func(expr, env, names):
    def f(*xs):
        return eval(expr, {**env, **dict(zip(names, xs))})
    return f


def test_every_node_has_a_row():
    import importlib
    import pkgutil

    for mod in pkgutil.walk_packages(course_lib.__path__, "course_lib."):
        importlib.import_module(mod.name)
    from course_lib.autograd.node import Node

    seen, stack = set(), [Node]
    while stack:
        for sub in stack.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
    from course_lib.autograd.function import BackwardCFunction

    ops = {c.__name__ for c in seen if not c.__name__.startswith("_")
           and not issubclass(c, BackwardCFunction)} - NOT_OPS
    assert sorted(ops - set(CASES)) == []


ROWS = {**CASES, **EXTRA_ROWS}


@pytest.mark.parametrize("name", sorted(ROWS))
def test_gradgradcheck(name):
    expr = ROWS[name]
    env = _env(course_lib)
    out = eval(expr, env)
    assert name.split(" ")[0] in _names(out.grad_fn), f"{expr} does not build {name}"
    names = leaves(expr, env)
    assert gradgradcheck(_func(expr, env, names), tuple(env[n] for n in names))


@pytest.mark.parametrize("name", sorted(ROWS))
def test_second_derivatives_like_torch(name):
    """First gradients and a Hessian-vector product, course_lib vs torch (float64)."""
    expr = ROWS[name]
    got = []
    for T in (course_lib, torch):
        env = _env(T)
        if name in ("NormalBackward0", "UniformBackward0", "BernoulliBackward2",
                    "ExponentialBackward0", "GeometricBackward0", "CauchyBackward0",
                    "LogNormalBackward0") or \
                name.startswith("RandomBackward"):
            T.manual_seed(0)
        gs, hv, _ = derivatives(T, TORCH_ROWS.get(name, expr) if T is torch else expr, env)
        got.append(gs + hv)
    assert_same(got[0], got[1], name)


class XExp(course_lib.autograd.Function):
    """x·eˣ with a hand-written backward made of differentiable ops."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x.exp()

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x + 1) * x.exp()


def test_user_function_double_backward():
    x = course_lib.tensor([0.5, -1.0, 2.0], dtype=course_lib.float64, requires_grad=True)
    assert gradgradcheck(XExp.apply, (x,))
    (g,) = course_lib.autograd.grad(XExp.apply(x).sum(), x, create_graph=True)
    (h,) = course_lib.autograd.grad(g.sum(), x)
    xs = x.detach().numpy()
    np.testing.assert_allclose(h.numpy(), (xs + 2) * np.exp(xs))


def test_hessian_of_a_small_mlp_equals_torch():
    g = np.random.default_rng(0)
    arrays = [g.standard_normal(s) for s in [(5, 4), (5,), (3, 5), (3,)]]
    data, target = g.standard_normal((6, 4)), np.array([0, 2, 1, 1, 0, 2])
    hs = []
    for T in (course_lib, torch):
        F = T.nn.functional
        x, y = T.tensor(data), T.tensor(target)

        def loss(w1, b1, w2, b2):
            h = F.linear(x, w1, b1).tanh()
            return F.cross_entropy(F.linear(h, w2, b2), y) + (w1 * w1).sum() * 1e-2

        ps = tuple(T.tensor(a) for a in arrays)
        hs.append(T.autograd.functional.hessian(loss, ps))
    for i in range(4):
        for j in range(4):
            np.testing.assert_allclose(hs[0][i][j].numpy(), hs[1][i][j].numpy(),
                                       rtol=1e-9, atol=1e-12)


def test_grad_of_grad_has_torch_graph_and_grad_field():
    x = course_lib.tensor([1.0, 2.0], dtype=course_lib.float64, requires_grad=True)
    y = (x ** 3).sum()
    y.backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.grad_fn is not None
    (h,) = course_lib.autograd.grad(x.grad.sum(), x)
    np.testing.assert_allclose(h.numpy(), [6.0, 12.0])

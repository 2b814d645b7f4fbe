"""``course_lib.nn``: modules, parameters, layers, losses, ``functional`` and ``init``.

神经网络模块：Module、Parameter、各种层与损失函数，以及 ``functional`` 与 ``init``。
"""
from . import functional, init, utils
from .modules import (BCELoss, BCEWithLogitsLoss, Conv2d, CrossEntropyLoss, Dropout, Flatten,
                      Identity, L1Loss, LeakyReLU, Linear, LogSoftmax, MaxPool2d, Module,
                      ModuleDict, ModuleList, MSELoss, NLLLoss, ReLU, Sequential, Sigmoid,
                      Softmax, Tanh, Unflatten)
from .modules.activation import MultiheadAttention, RReLU, Softmax2d
from .modules.pooling import AdaptiveMaxPool1d, AdaptiveMaxPool2d
from .modules.batchnorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from .modules.normalization import LocalResponseNorm
from .modules.linear import Bilinear
from .modules.fold import Fold, Unfold
from .modules.pixelshuffle import PixelShuffle, PixelUnshuffle
from .modules.upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d
from .modules.transformer import (Transformer, TransformerDecoder, TransformerDecoderLayer,
                                  TransformerEncoder, TransformerEncoderLayer)
from .modules.dropout import (AlphaDropout, Dropout1d, Dropout2d, Dropout3d,
                              FeatureAlphaDropout)
from .modules.activation_more import (CELU, ELU, GELU, GLU, SELU, Hardshrink, Hardsigmoid,
                                     Hardswish, Hardtanh, LogSigmoid, Mish, PReLU, ReLU6, SiLU,
                                     Softmin, Softplus, Softshrink, Softsign, Tanhshrink, Threshold)
from .modules.batchnorm import BatchNorm1d, BatchNorm2d
from .modules.conv import Conv1d, ConvTranspose1d, ConvTranspose2d
from .modules.pooling import AdaptiveAvgPool1d, AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, MaxPool1d
from .modules.normalization import GroupNorm, LayerNorm, RMSNorm
from .modules.sparse import Embedding
from .modules.rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase
from .modules.loss import (CosineEmbeddingLoss, GaussianNLLLoss, HingeEmbeddingLoss, HuberLoss,
                           KLDivLoss, MarginRankingLoss, MultiLabelMarginLoss,
                           MultiLabelSoftMarginLoss, MultiMarginLoss, PoissonNLLLoss,
                           SmoothL1Loss, SoftMarginLoss, TripletMarginLoss,
                           TripletMarginWithDistanceLoss)
from .modules.distance import CosineSimilarity, PairwiseDistance
from .modules.padding import (CircularPad1d, CircularPad2d, CircularPad3d, ConstantPad1d,
                              ConstantPad2d, ConstantPad3d, ReflectionPad1d, ReflectionPad2d,
                              ReflectionPad3d, ReplicationPad1d, ReplicationPad2d,
                              ReplicationPad3d, ZeroPad1d, ZeroPad2d, ZeroPad3d)
from .modules.container import ParameterDict, ParameterList
from .parameter import Buffer, Parameter

__all__ = ["Module", "Parameter", "Linear", "Identity", "ReLU", "LeakyReLU", "Sigmoid", "Tanh",
           "Softmax", "LogSoftmax", "Flatten", "Unflatten", "Dropout", "Sequential",
           "RReLU", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "InstanceNorm1d", "InstanceNorm2d",
           "InstanceNorm3d", "LocalResponseNorm", "Bilinear",
           "MarginRankingLoss", "HingeEmbeddingLoss", "SoftMarginLoss",
           "MultiLabelSoftMarginLoss", "CosineEmbeddingLoss", "MultiMarginLoss",
           "MultiLabelMarginLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss",
           "PoissonNLLLoss", "GaussianNLLLoss",
           "Softmax2d", "Fold", "Unfold", "PixelShuffle", "PixelUnshuffle", "Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d",
           "MultiheadAttention", "Transformer", "TransformerEncoder",
           "TransformerDecoder", "TransformerEncoderLayer", "TransformerDecoderLayer", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout",
           "FeatureAlphaDropout",
           "ModuleList", "ModuleDict", "ParameterList", "ParameterDict", "Buffer", "Conv2d",
           "MaxPool2d", "MSELoss", "L1Loss",
           "CrossEntropyLoss", "NLLLoss", "BCELoss", "BCEWithLogitsLoss", "functional", "init", "utils",
           "ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
           "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d", "ReplicationPad1d",
           "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d", "CircularPad2d", "CircularPad3d",
           "GELU", "SiLU", "ELU", "SELU", "CELU", "Softplus", "Mish", "LogSigmoid", "Hardtanh",
           "ReLU6", "Hardswish", "Hardsigmoid", "Softsign", "LayerNorm", "Embedding",
           "PReLU", "Softmin", "Hardshrink", "Softshrink", "Tanhshrink", "Threshold", "GLU",
           "RMSNorm",
           "BatchNorm1d", "BatchNorm2d", "AvgPool2d", "AdaptiveAvgPool2d",
           "GroupNorm", "SmoothL1Loss", "HuberLoss", "KLDivLoss", "CosineSimilarity",
           "PairwiseDistance", "Conv1d", "ConvTranspose1d", "ConvTranspose2d", "MaxPool1d",
           "AvgPool1d", "AdaptiveAvgPool1d",
           "RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


from .._missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__, __file__)  # what PyTorch has and course_lib lacks

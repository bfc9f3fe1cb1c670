"""Checks for lesson 06 (the full network): forward, backward, gradient_check and sgd_step.

They judge with numbers stored below for two fixed networks (computed once by the answer key
and confirmed in tests/autograder/checks/test_full_network.py with finite differences and the
sources' worked example), and recognise the known mistakes by the wrong numbers those
mistakes produce (stored, or as a relation to the right answer).

The tiny network: layer sizes [3, 4, 3, 2] (two hidden layers, so that h and a of different
layers can be told apart), a batch of m = 5 rows, labels [0, 1, 1, 0, 1], biases that are not
zero (so a forgotten bias or a regularised bias shows), l2 = 0.1 for backward.
The worked example of the sources (003): W1, W2, x = [2, 5, 3, 3], y = [1, 0], zero biases,
sigmoid hidden layer, softmax output.
"""

import numpy as np

from autograder.checks.cases import Case, fresh
from autograder.checks.catalogue import Mistake, failure
from autograder.checks.compare import check_case, expect, first_difference, fmt
from autograder.checks.core import CheckFailure, call_stub, passed
from autograder.checks.parts import judged_label, judging, known_parts

TINY_PARAMS = {
    "W1": [[0.2, -0.5, 0.1], [0.7, 0.3, -0.4], [-0.6, 0.8, 0.5], [0.1, -0.2, 0.9]],
    "b1": [0.1, -0.2, 0.05, 0.3],
    "W2": [[0.5, -0.3, 0.8, 0.2], [-0.7, 0.4, 0.1, 0.6], [0.3, 0.9, -0.5, -0.1]],
    "b2": [-0.1, 0.2, 0.0],
    "W3": [[0.6, -0.8, 0.4], [-0.2, 0.5, 0.7]],
    "b3": [0.25, -0.15],
}
TINY_X = [
    [0.5, -1.0, 2.0],
    [1.5, 0.2, -0.3],
    [-0.7, 0.9, 0.4],
    [0.0, -0.6, 1.2],
    [1.1, 1.3, -0.8],
]
TINY_Y = [0, 1, 1, 0, 1]
TINY_L2 = 0.1

WORKED_PARAMS = {
    "W1": [
        [0.1, 0.3, 0.8, -0.4],
        [-0.3, -0.2, 0.5, 0.5],
        [-0.3, 0.0, 0.5, 0.4],
        [0.2, 0.5, -0.9, 0.7],
    ],
    "b1": [0.0, 0.0, 0.0, 0.0],
    "W2": [[0.5, 0.8, 0.2, 0.4], [0.5, 0.2, 0.3, -0.5]],
    "b2": [0.0, 0.0],
}
WORKED_X = [2.0, 5.0, 3.0, 3.0]
WORKED_Y = [1.0, 0.0]

SGD_PARAMS = {
    "W1": [[1.0, 2.0], [3.0, 4.0]],
    "b1": [0.5, -0.5],
    "W2": [[-1.0, 0.0], [2.0, 1.0]],
    "b2": [0.0, 1.0],
}
# Deliberately not in the parameters' order: a step must look each gradient up by its name.
SGD_GRADS = {
    "dW1": [[0.2, -0.4], [0.6, 0.0]],
    "dW2": [[0.1, 0.1], [-0.2, 0.3]],
    "db1": [1.0, -1.0],
    "db2": [-0.5, 0.5],
}
SGD_LR = 0.5

# ---------------------------------------------------------------- stored answers
_PROBS = [
    [0.500286822414, 0.499713177586],
    [0.468158220622, 0.531841779378],
    [0.495426614019, 0.504573385981],
    [0.498676512322, 0.501323487678],
    [0.467354041352, 0.532645958648],
]
_H = [
    [
        [0.710949502625, 0.278884821977, 0.487502603516, 0.91293422756],
        [0.567092904965, 0.736915895833, 0.301534783997, 0.534942945158],
        [0.389360766051, 0.358932593665, 0.800592243151, 0.601087878848],
        [0.627147766313, 0.297339345655, 0.542397940774, 0.817574476194],
        [0.398912121152, 0.782449776423, 0.507499437551, 0.361236824851],
    ],
    [
        [0.677956879032, 0.60118380517, 0.532264222416],
        [0.577053209636, 0.61038255925, 0.652283205248],
        [0.67867558429, 0.625212513964, 0.494860844648],
        [0.673004438502, 0.604611381541, 0.525675726248],
        [0.584911315341, 0.622749156107, 0.63041673712],
    ],
]
_A = [
    [
        [0.9, -0.95, -0.05, 2.35],
        [0.27, 1.03, -0.84, 0.14],
        [-0.45, -0.58, 1.39, 0.41],
        [0.52, -0.86, 0.17, 1.5],
        [-0.41, 1.28, 0.03, -0.57],
    ],
    [
        [0.744398233044, 0.410400073841, 0.129236466053],
        [0.310688099962, 0.448920570352, 0.629090491225],
        [0.747691975217, 0.511732452855, -0.020557345347],
        [0.721805327318, 0.424716781636, 0.102793322977],
        [0.34296804266, 0.501233464429, 0.534005033866],
    ],
    [
        [0.38873277225, 0.38758548247],
        [0.368839160481, 0.496378881371],
        [0.354979677262, 0.373273731377],
        [0.380383848367, 0.385677811444],
        [0.354914159167, 0.485684030969],
    ],
]
_GRADS = {
    "dW1": [
        [0.029780900223, -0.02451151171, -0.014198760603],
        [0.065423650526, 0.011141032332, -0.021815554069],
        [-0.054626248603, 0.093409269968, 0.035317123838],
        [0.004769896338, -0.029943852343, 0.096890252928],
    ],
    "db1": [0.007343409014, -0.003770757739, 0.00188794209, -0.006252897966],
    "dW2": [
        [0.050859090099, -0.006234968953, 0.090481007089, 0.016359960381],
        [-0.067867135688, 0.003450464575, -0.005293517341, 0.069974112344],
        [0.030898131317, 0.081837788576, -0.05347869054, -0.007288241135],
    ],
    "db2": [0.018614409615, -0.025366794202, -0.00537044877],
    "dW3": [
        [0.100713979801, -0.02339569791, 0.103130750569],
        [-0.060713979801, -0.00660430209, 0.006869249431],
    ],
    "db3": [0.085980442146, -0.085980442146],
}
_PROBS_RELU = [
    [0.443122261139, 0.556877738861],
    [0.364172417488, 0.635827582512],
    [0.625907616239, 0.374092383761],
    [0.474497150498, 0.525502849502],
    [0.295129469821, 0.704870530179],
]
_GRADS_RELU = {
    "dW1": [
        [0.021647330561, 0.230432071517, -0.454891715388],
        [-0.1376023648, -0.072127441494, 0.054566137574],
        [-0.043391234132, 0.091153766803, -0.03972893234],
        [0.005245773747, -0.185585447685, 0.194960711399],
    ],
    "db1": [-0.213835638383, -0.104169698195, 0.011421804086, -0.001364480513],
    "dW2": [
        [-0.123912231474, 0.0, 0.124908176345, -0.294447174067],
        [0.175792472438, -0.19574446096, -0.205277796425, 0.465220781862],
        [0.024171804735, -0.045171798683, -0.000531233046, 0.075460712872],
    ],
    "db2": [-0.07303567554, -0.052735517948, -0.006145448907],
    "dW3": [
        [-0.017019302401, -0.035926977534, 0.135611773862],
        [0.017019302401, 0.035926977534, -0.135611773862],
    ],
    "db3": [0.040565783037, -0.040565783037],
}
_PROBS_ACTIVATION_ON_LOGITS = [
    [0.500069071087, 0.499930928913],
    [0.492393204614, 0.507606795386],
    [0.498893707979, 0.501106292021],
    [0.499680972623, 0.500319027377],
    [0.492180529006, 0.507819470994],
]
_PROBS_NO_BIAS = [
    [0.417674684263, 0.582325315737],
    [0.388809427487, 0.611190572513],
    [0.414030613748, 0.585969386252],
    [0.416627922214, 0.583372077786],
    [0.387825317148, 0.612174682852],
]
_GRADS_NO_G_PRIME = {
    "dW1": [
        [0.171199860106, 0.425210281449, -0.457790600947],
        [-0.05765234091, -0.371202122863, 0.354937966374],
        [0.021796645631, 0.337080971931, -0.203067046414],
        [-0.063121243822, -0.249814808242, 0.316226602098],
    ],
    "db1": [0.104896139418, -0.08855985541, 0.056747091816, -0.050728460866],
    "dW2": [
        [0.046023574829, 0.066011750542, 0.121512688452, -0.003842590681],
        [-0.063538309097, -0.116019094631, -0.057458118735, 0.098744209857],
        [0.031491159439, 0.053995593547, -0.06556725817, -0.001059028494],
    ],
    "db2": [0.068784353717, -0.11177457479, -0.025794132644],
    "dW3": [
        [0.100713979801, -0.02339569791, 0.103130750569],
        [-0.060713979801, -0.00660430209, 0.006869249431],
    ],
    "db3": [0.085980442146, -0.085980442146],
}
_GRADS_G_PRIME_OF_H = {
    "dW1": [
        [0.028298284683, -0.024888556549, -0.013945426114],
        [0.064427349689, 0.008587733125, -0.018566554101],
        [-0.055095445232, 0.093415169436, 0.036427665979],
        [0.005796075927, -0.031759068004, 0.101084199109],
    ],
    "db1": [0.006455260414, -0.003627197417, 0.002988210435, -0.003341901268],
    "dW2": [
        [0.049579620321, -0.007806313112, 0.089653857388, 0.01510146285],
        [-0.068345905159, 0.004578120624, -0.005163687596, 0.069066895179],
        [0.030526979785, 0.081891263996, -0.053516796819, -0.007761951353],
    ],
    "db2": [0.016331567776, -0.025131126392, -0.005664920494],
    "dW3": [
        [0.100713979801, -0.02339569791, 0.103130750569],
        [-0.060713979801, -0.00660430209, 0.006869249431],
    ],
    "db3": [0.085980442146, -0.085980442146],
}
_GRADS_A_AS_INPUT = {
    "dW1": [
        [0.029780900223, -0.02451151171, -0.014198760603],
        [0.065423650526, 0.011141032332, -0.021815554069],
        [-0.054626248603, 0.093409269968, 0.035317123838],
        [0.004769896338, -0.029943852343, 0.096890252928],
    ],
    "db1": [0.007343409014, -0.003770757739, 0.00188794209, -0.006252897966],
    "dW2": [
        [0.014823616476, 0.033806875978, 0.087088198506, -0.048202491315],
        [-0.008289932739, -0.065240556692, -0.004755857161, 0.179788774858],
        [0.044920344864, 0.065843658416, -0.05427115784, 0.01857710966],
    ],
    "db2": [0.018614409615, -0.025366794202, -0.00537044877],
    "dW3": [
        [0.048464324382, -0.024011521229, 0.123556953473],
        [-0.008464324382, -0.005988478771, -0.013556953473],
    ],
    "db3": [0.085980442146, -0.085980442146],
}
# gradient_check's relative errors of the tiny network's gradients without g' (_GRADS_NO_G_PRIME:
# the top layer right, the two below wrong), and of the right gradients judged by a loss that
# forgot the L2 term (l2 = 0.1: the weights' errors only).
_GC_NO_G_PRIME = {
    "W1": 0.982374457267,
    "b1": 0.9299935245,
    "W2": 0.983185877224,
    "b2": 0.773053986149,
    "W3": 0.0,
    "b3": 0.0,
}
_GC_FORGETS_L2 = {
    "W1": 0.92888600534,
    "b1": 0.0,
    "W2": 0.994683888923,
    "b2": 0.0,
    "W3": 0.775714319474,
    "b3": 0.0,
}
_WE_PROBS = [0.770335989081, 0.229664010919]
_WE_H1 = [0.947846436922, 0.802183888559, 0.890903178804, 0.908877038985]
_WE_A = [[2.9, 1.4, 2.1, 2.3], [1.657401780663, 0.447192430321]]
_WE_GRADS = {
    "dW1": [
        [0.0, 0.0, 0.0, 0.0],
        [-0.043733052037, -0.109332630093, -0.065599578056, -0.065599578056],
        [0.004464425149, 0.011161062872, 0.006696637723, 0.006696637723],
        [-0.034237213088, -0.085593032719, -0.051355819632, -0.051355819632],
    ],
    "db1": [0.0, -0.021866526019, 0.002232212574, -0.017118606544],
    "dW2": [
        [-0.217686214438, -0.184232769341, -0.204608397384, -0.208736346205],
        [0.217686214438, 0.184232769341, 0.204608397384, 0.208736346205],
    ],
    "db2": [-0.229664010919, 0.229664010919],
}
_SGD_NEW = {
    "W1": [[0.9, 2.2], [2.7, 4.0]],
    "b1": [0.0, 0.0],
    "W2": [[-1.05, -0.05], [2.1, 0.85]],
    "b2": [0.25, 0.75],
}
_SGD_ASCENT = {
    "W1": [[1.1, 1.8], [3.3, 4.0]],
    "b1": [1.0, -1.0],
    "W2": [[-0.95, 0.05], [1.9, 1.15]],
    "b2": [-0.25, 1.25],
}
_SGD_BY_POSITION = {
    "W1": [[0.9, 2.2], [2.7, 4.0]],
    "b1": [[0.45, -0.55], [0.6, -0.65]],
    "W2": [[-1.5, 0.5], [1.5, 1.5]],
    "b2": [0.25, 0.75],
}
_SGD_GRAD_KEYS = {
    "dW1": [[0.9, 2.2], [2.7, 4.0]],
    "dW2": [[-1.05, -0.05], [2.1, 0.85]],
    "db1": [0.0, 0.0],
    "db2": [0.25, 0.75],
}
_H_RELU = [
    [
        [0.9, 0.0, 0.0, 2.35],
        [0.27, 1.03, 0.0, 0.14],
        [0.0, 0.0, 1.39, 0.41],
        [0.52, 0.0, 0.17, 1.5],
        [0.0, 1.28, 0.03, 0.0],
    ],
    [
        [0.82, 0.98, 0.035],
        [0.0, 0.507, 0.994],
        [1.094, 0.585, 0.0],
        [0.596, 0.753, 0.0],
        [0.0, 0.715, 1.137],
    ],
]
_A_RELU = [
    [
        [0.9, -0.95, -0.05, 2.35],
        [0.27, 1.03, -0.84, 0.14],
        [-0.45, -0.58, 1.39, 0.41],
        [0.52, -0.86, 0.17, 1.5],
        [-0.41, 1.28, 0.03, -0.57],
    ],
    [
        [0.82, 0.98, 0.035],
        [-0.246, 0.507, 0.994],
        [1.094, 0.585, -0.736],
        [0.596, 0.753, -0.079],
        [-0.46, 0.715, 1.137],
    ],
    [[-0.028, 0.2005], [0.242, 0.7993], [0.4384, -0.0763], [0.0052, 0.1073], [0.1328, 1.0034]],
]


# Lists of arrays whose shapes differ by layer hold np.array entries (Case.want's convention).
_H, _A, _H_RELU, _A_RELU, _WE_A = (
    [np.array(x) for x in layers] for layers in (_H, _A, _H_RELU, _A_RELU, _WE_A)
)
_WE_H1 = np.array(_WE_H1)

# ---------------------------------------------------------------- the cases

TINY_CACHE = {"h": [np.array(TINY_X), *_H], "a": _A, "probs": _PROBS}
RELU_CACHE = {"h": [np.array(TINY_X), *_H_RELU], "a": _A_RELU, "probs": _PROBS_RELU}
WORKED_CACHE = {"h": [np.array(WORKED_X), _WE_H1], "a": _WE_A, "probs": _WE_PROBS}
FORWARD_RETURNS = ("probs", "cache")

CASES = {
    "forward": (
        Case(
            "tiny",
            (TINY_PARAMS, TINY_X, "sigmoid"),
            {"probs": _PROBS, "cache": TINY_CACHE},
            "the tiny 3-4-3-2 sigmoid network on a batch of 5",
            returns=FORWARD_RETURNS,
        ),
        Case(
            "worked",
            (WORKED_PARAMS, WORKED_X, "sigmoid"),
            {"probs": _WE_PROBS, "cache": WORKED_CACHE},
            "the sources' worked example x = [2, 5, 3, 3] (one example, shape (4,))",
            returns=FORWARD_RETURNS,
        ),
        Case(
            "relu",
            (TINY_PARAMS, TINY_X, "relu"),
            {"probs": _PROBS_RELU, "cache": RELU_CACHE},
            'the tiny network with activation="relu" (use the activation argument, not always '
            "sigmoid)",
            returns=FORWARD_RETURNS,
        ),
    ),
    "backward": (
        Case(
            "tiny",
            (TINY_PARAMS, TINY_CACHE, TINY_Y, "sigmoid", TINY_L2),
            _GRADS,
            "the tiny 3-4-3-2 sigmoid network, batch of 5, l2 = 0.1",
        ),
        Case(
            "worked",
            (WORKED_PARAMS, WORKED_CACHE, WORKED_Y, "sigmoid", 0.0),
            _WE_GRADS,
            "the worked example (one example x of shape (4,), one-hot y = [1, 0]; "
            "np.atleast_2d turns one example into a batch of one)",
        ),
        Case(
            "relu",
            (TINY_PARAMS, RELU_CACHE, TINY_Y, "relu", 0.0),
            _GRADS_RELU,
            'the tiny network with activation="relu", l2 = 0 (use the activation argument)',
        ),
    ),
    # A right gradient's relative error is rounding (1e-11 to 1e-9), so right entries are 0
    # within atol 1e-7; a wrong one's is of order 1 (stored to 12 digits).
    "gradient_check": (
        Case(
            "right",
            (TINY_PARAMS, TINY_X, TINY_Y, _GRADS, "sigmoid", TINY_L2),
            {k[1:]: 0.0 for k in _GRADS},
            "the tiny network's right gradients (sigmoid, batch of 5, l2 = 0.1)",
            atol=1e-7,
        ),
        Case(
            "no_g_prime",
            (TINY_PARAMS, TINY_X, TINY_Y, _GRADS_NO_G_PRIME, "sigmoid", TINY_L2),
            _GC_NO_G_PRIME,
            "the tiny network's gradients computed without g' (dW1, db1, dW2, db2 wrong, dW3 "
            "and db3 right; l2 = 0.1)",
            atol=1e-7,
        ),
        Case(
            "worked",
            (WORKED_PARAMS, WORKED_X, WORKED_Y, _WE_GRADS, "sigmoid", 0.0),
            {k[1:]: 0.0 for k in _WE_GRADS},
            "the worked example's right gradients (one example x of shape (4,))",
            atol=1e-7,
        ),
    ),
    "sgd_step": (
        Case(
            "2-2-2",
            (SGD_PARAMS, SGD_GRADS, SGD_LR),
            _SGD_NEW,
            f"lr = {SGD_LR} on a 2-2-2 network's parameters",
        ),
    ),
}

# ---------------------------------------------------------------- the catalog


def _no_1_over_m(want):
    P, m = fresh(TINY_PARAMS), len(TINY_X)
    return {
        k: (v - TINY_L2 * P[k[1:]]) * m + TINY_L2 * P[k[1:]] if k[1] == "W" else v * m
        for k, v in want.items()
    }


def _regularised_biases(want):
    P = fresh(TINY_PARAMS)
    return {k: v + TINY_L2 * P[k[1:]] if k[1] == "b" else v for k, v in want.items()}


def _without_l2(want):
    P = fresh(TINY_PARAMS)
    return {k: v - TINY_L2 * P[k[1:]] if k[1] == "W" else v for k, v in want.items()}


def _l2_halved(want):
    P = fresh(TINY_PARAMS)
    return {k: v - TINY_L2 / 2 * P[k[1:]] if k[1] == "W" else v for k, v in want.items()}


def _transposed(want):
    return {k: v.T if k[1] == "W" else v for k, v in want.items()}


def _cache_h_without_input(want):
    return {**want, "cache": {**want["cache"], "h": want["cache"]["h"][1:]}}


def _cache_a_holding_h(want):
    cache = want["cache"]
    return {**want, "cache": {**cache, "a": [*cache["h"][1:], want["probs"]]}}


MISTAKES = {
    "forward": (
        Mistake(
            "activation_on_logits",
            "the output layer applies g to its logits before the softmax. The last layer has no "
            "activation of its own: probs = softmax(a_L) with a_L = h_{L-1} W_L^T + b_L; apply g "
            "only for l < L.",
            {"probs": _PROBS_ACTIVATION_ON_LOGITS},
            on=("tiny",),
        ),
        Mistake(
            "no_bias",
            "the bias is missing: every layer computes a = h W^T + b, not h W^T. Add "
            'params[f"b{l}"] in every layer (it broadcasts over the rows).',
            {"probs": _PROBS_NO_BIAS},
            on=("tiny",),
        ),
        Mistake(
            "cache_misses_input",
            'cache["h"] holds each layer\'s output instead of its input: it must start with '
            "h0 = X and hold h0, ..., h_{L-1} (the inputs W1, ..., WL multiply), one per layer. "
            "Append h before you overwrite it.",
            _cache_h_without_input,
        ),
        Mistake(
            "cache_a_holds_h",
            'cache["a"] holds the activations g(a) (and probs) instead of the pre-activations '
            "a_l = h_{l-1} W_l^T + b_l. backward needs g'(a) at the pre-activation: store a "
            "before applying g.",
            _cache_a_holding_h,
        ),
    ),
    "backward": (
        Mistake(
            "no_g_prime",
            "the hidden layers' gradients miss the factor g'(a): grad_h = grad_a @ W is the "
            "gradient of h, and the gradient of the pre-activation is grad_h * g'(a_{l-1}) "
            "(elementwise). The top layer's dW3, db3 are right; the error starts at dW2.",
            _GRADS_NO_G_PRIME,
            on=("tiny",),
        ),
        Mistake(
            "g_prime_of_h",
            "g' is taken at h = g(a) instead of at the pre-activation a: use "
            'g\'(cache["a"][l-2]), not g\'(cache["h"][l-1]). (For ReLU the two happen to '
            "agree, which is why the bug hides there; for sigmoid they do not.)",
            _GRADS_G_PRIME_OF_H,
            on=("tiny",),
        ),
        Mistake(
            "a_as_input",
            "dW_l uses the previous pre-activation a_{l-1} as the layer's input; the input W_l "
            'multiplies is h_{l-1} = cache["h"][l-1] (h0 = X for the first layer).',
            _GRADS_A_AS_INPUT,
            on=("tiny",),
        ),
        Mistake(
            "no_1_over_m",
            "the data part of every gradient is m = 5 times too large: the loss is the MEAN "
            "cross entropy over the batch, so the logits' gradient is (probs - Y) / m.",
            _no_1_over_m,
            on=("tiny",),
        ),
        Mistake(
            "regularises_biases",
            "the biases' gradients carry l2 * b, but the L2 term 0.5 * l2 * sum ||W||^2 has "
            "only the weights: db gets no l2 term.",
            _regularised_biases,
            on=("tiny",),
        ),
        Mistake(
            "forgets_l2",
            "the L2 term is missing: the loss has + 0.5 * l2 * sum ||W_l||^2, whose gradient "
            "adds l2 * W_l to every dW_l (here l2 = 0.1).",
            _without_l2,
            on=("tiny",),
        ),
        Mistake(
            "l2_halved",
            "the L2 part of each dW is (l2 / 2) * W, half of what it should be: the 1/2 in "
            "0.5 * l2 * ||W||^2 is there to cancel the 2 that differentiating W^2 brings down, "
            "so d/dW of 0.5 * l2 * ||W||^2 = l2 * W (here 0.1 * W, not 0.05 * W).",
            _l2_halved,
            on=("tiny",),
        ),
        Mistake(
            "transposed_grad_W",
            "each dW has the transposed shape (in, out): with W of shape (out, in) the batch "
            "gradient is grad_a.T @ h, not h.T @ grad_a.",
            _transposed,
        ),
    ),
    "gradient_check": (
        Mistake(
            "nudges_a_copy",
            "every relative error is 1: the judge's gradient came out all zeros, so the loss "
            "never saw the nudges. numeric_gradient nudges the array it is given; give it the "
            "parameter array itself (params[name], the one loss(params, ...) reads), not a copy.",
            lambda want: {k: 1.0 for k in want},
        ),
        Mistake(
            "forgets_l2",
            "the right gradients of the weights get errors of order 1 while the biases' are 0: "
            "the judge's loss lacks the L2 term. Call loss(params, X, Y, activation, l2) with "
            "the l2 you were given (here 0.1).",
            _GC_FORGETS_L2,
            on=("right",),
        ),
        Mistake(
            "keys_with_d",
            'the result is keyed dW1, db1, ...: key it by the parameters\' names, "W1", "b1", '
            "..., like params (the gradients are keyed d<name>, the errors <name>).",
            lambda want: {f"d{k}": v for k, v in want.items()},
        ),
    ),
    "sgd_step": (
        Mistake(
            "ascent",
            "the step goes uphill: gradient DESCENT subtracts, P_new = P - lr * dP.",
            _SGD_ASCENT,
        ),
        Mistake(
            "modifies_in_place",
            "the caller's parameter arrays changed: `P -= ...` writes into params itself. Build "
            "and return a new dict, {name: P - lr * dP, ...}, and leave params as it was.",
            None,  # recognised by the check itself: the input arrays changed
        ),
        Mistake(
            "pairs_by_position",
            "parameters and gradients are paired by position, but grads need not list its "
            'keys in params\' order (here dW1, dW2, db1, db2). Look each one up by name: grads["d" '
            "+ name].",
            _SGD_BY_POSITION,
        ),
        Mistake(
            "returns_grad_keys",
            "the new dict is keyed dW1, db1, ...: name the new parameters like the old ones "
            "(W1, b1, ...), so the result can go straight back into forward.",
            _SGD_GRAD_KEYS,
        ),
    ),
}


# ---------------------------------------------------------------- the checks


def check_forward(forward, parts=FORWARD_RETURNS):
    """forward(params, X, activation) on the tiny batch, on one example, and with ReLU.

    parts: which of FORWARD_RETURNS to judge (lesson 06 has a test cell for each, so a cache
    that backward cannot use does not cost the points of right probabilities). The answer must
    still be the pair (probs, cache).
    """
    stub = "forward"
    parts = known_parts(parts, FORWARD_RETURNS)
    for case in CASES[stub]:
        case, catalogue = judging(stub, case, parts, FORWARD_RETURNS, MISTAKES)
        check_case(forward, case, stub=stub, catalogue=catalogue)
    said = {
        "probs": f"worked example probs {fmt(_WE_PROBS)}",
        "cache": 'cache["h"] holds each layer\'s input, cache["a"] its pre-activation',
    }
    passed(
        judged_label(stub, parts, FORWARD_RETURNS),
        "; ".join(said[p] for p in parts) + "; batch, single example and ReLU agree",
    )


def check_backward(backward):
    """backward(params, cache, Y, activation, l2) on the tiny batch, the worked example, ReLU."""
    for case in CASES["backward"]:
        check_case(backward, case, stub="backward", catalogue=MISTAKES)
    passed(
        "backward",
        f"worked example dW2[0] = {fmt(_WE_GRADS['dW2'][0])}; batch, l2, ReLU and one example "
        "agree",
    )


def check_gradient_check(gradient_check):
    """gradient_check(params, X, Y, grads, activation, l2) on right and wrong gradients."""
    for case in CASES["gradient_check"]:
        check_case(gradient_check, case, stub="gradient_check", catalogue=MISTAKES)
    passed(
        "gradient_check",
        f"right gradients about 0; without g', W1 {_GC_NO_G_PRIME['W1']:.3f} and W3 0 (its "
        "gradient has no g' to miss)",
    )


def check_sgd_step(sgd_step):
    """sgd_step(params, grads, lr) returns a new dict P - lr * dP and leaves params alone."""
    stub = "sgd_step"
    (case,) = CASES[stub]
    params, grads, lr = case.arguments()
    new = call_stub(sgd_step, params, grads, lr, name=stub)
    changed = first_difference(params, SGD_PARAMS, "params", rtol=0, atol=0)
    if changed:
        evidence = f"for {case.what}: {changed.label} became {changed.got_numbers or changed.got}"
        raise failure(MISTAKES, stub, "modifies_in_place", evidence)
    expect(new, case, stub=stub, catalogue=MISTAKES)
    if set(new) != set(SGD_PARAMS):
        raise CheckFailure(
            f"{stub} is off for {case.what}: expected exactly the keys {list(SGD_PARAMS)}, "
            f"got {list(new)}."
        )
    passed(stub, f"W1 {fmt(SGD_PARAMS['W1'])} -> {fmt(_SGD_NEW['W1'])} with lr = {SGD_LR}")

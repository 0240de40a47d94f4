#!/usr/bin/python3
"""Writes the example TorchScript models that agtf-import reads.

Usage: /usr/bin/python3 make_models.py OUTDIR [NAME ...]
(Debian's torch 1.13 and torchvision 0.14.) With no names, writes them all.
For each model it prints one line: name, trainable tensors, parameters.
The build writes them into build/examples/models (target agtf-example-models);
they are never committed.
"""
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F


# --- ResNet-20 for CIFAR-10 (He et al. 2016, option A shortcuts) ----------
class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.pad = cout - cin
        self.stride = stride

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        shortcut = x
        if self.stride != 1 or self.pad != 0:
            shortcut = x[:, :, ::self.stride, ::self.stride]
            shortcut = F.pad(shortcut, [0, 0, 0, 0, self.pad // 2,
                                        self.pad - self.pad // 2])
        return F.relu(out + shortcut)


class ResNetCifar(nn.Module):
    def __init__(self, depth=20, classes=10):
        super().__init__()
        n = (depth - 2) // 6
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        layers = []
        cin = 16
        for i, cout in enumerate((16, 32, 64)):
            blocks = []
            for j in range(n):
                blocks.append(BasicBlock(cin, cout, 2 if i > 0 and j == 0 else 1))
                cin = cout
            layers.append(nn.Sequential(*blocks))
        self.layer1, self.layer2, self.layer3 = layers
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.fc(x)


# --- A small Fashion-MNIST CNN ---------------------------------------------
class FashionCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 4 * 4, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


# --- Token models -----------------------------------------------------------
class LstmLm(nn.Module):
    """Two-layer LSTM language model (PTB-style, small). Input: N x T ids."""

    def __init__(self, vocab=10000, embed=200, hidden=200, layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, embed)
        self.lstm = nn.LSTM(embed, hidden, layers, batch_first=True)
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, tokens):
        out, _ = self.lstm(self.embedding(tokens))
        return self.decoder(out)


class TransformerClassifier(nn.Module):
    """Small transformer encoder over token ids. Input: N x T ids."""

    def __init__(self, vocab=5000, d=128, heads=4, layers=2, classes=10,
                 max_len=512):
        super().__init__()
        self.embedding = nn.Embedding(vocab, d)
        self.position = nn.Parameter(torch.zeros(max_len, d))
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, 0.1,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.head = nn.Linear(d, classes)

    def forward(self, tokens):
        x = self.embedding(tokens) + self.position[: tokens.size(1)]
        return self.head(self.encoder(x).mean(1))


# --- Tiny test models -------------------------------------------------------
class Shuffled(nn.Module):
    """Parameters registered in an order unrelated to their use, with a
    branch: the backprop order differs from reverse registration order.
    Uses: x -> b (6->5) -> {a (5->4), c (5->4)} -> sum -> d (4->3)."""

    def __init__(self):
        super().__init__()
        self.c = nn.Linear(5, 4)
        self.a = nn.Linear(5, 4)
        self.d = nn.Linear(4, 3)
        self.b = nn.Linear(6, 5)

    def forward(self, x):
        h = torch.tanh(self.b(x))
        return self.d(torch.tanh(self.a(h)) * torch.sigmoid(self.c(h)))


class Frozen(nn.Module):
    """No trainable parameter."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
        for p in self.parameters():
            p.requires_grad_(False)

    def forward(self, x):
        return self.fc(x)


class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3)
        self.bn = nn.BatchNorm2d(4)
        self.fc = nn.Linear(4 * 6 * 6, 5)

    def forward(self, x):
        return self.fc(F.relu(self.bn(self.conv(x))).flatten(1))


class TinyLm(nn.Module):
    """Embedding, one LSTM layer, decoder. Input: N x T ids below 50."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(50, 8)
        self.lstm = nn.LSTM(8, 8, batch_first=True)
        self.decoder = nn.Linear(8, 50)

    def forward(self, tokens):
        out, _ = self.lstm(self.embedding(tokens))
        return self.decoder(out)


class TinyTied(nn.Module):
    """Decoder weight tied to the embedding: one parameter, two uses."""

    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(20, 4)
        self.decoder = nn.Linear(4, 20)
        self.decoder.weight = self.embedding.weight

    def forward(self, tokens):
        return self.decoder(self.embedding(tokens))


# --- ResNet-50 where torchvision is missing (the GPU machine's PyTorch may
# come without it): ResNet v1.5 (stride on the 3x3 convolution) with
# torchvision's parameter names, shapes and order, so that schedules planned
# from torchvision's model fit it.
class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride):
        super().__init__()
        cout = 4 * width
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = F.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        shortcut = x if self.downsample is None else self.downsample(x)
        return F.relu(out + shortcut)


class ResNet50(nn.Module):
    def __init__(self, classes=1000):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        cin = 64
        for i, (width, blocks, stride) in enumerate(
                [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]):
            layer = []
            for b in range(blocks):
                layer.append(Bottleneck(cin, width, stride if b == 0 else 1))
                cin = 4 * width
            setattr(self, "layer%d" % (i + 1), nn.Sequential(*layer))
        self.fc = nn.Linear(2048, classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def resnet50():
    try:
        import torchvision
    except ImportError:
        return ResNet50()
    return torchvision.models.resnet50(weights=None)


def vgg16():
    import torchvision
    return torchvision.models.vgg16(weights=None)


MODELS = {
    "resnet20": lambda: ResNetCifar(20),
    "resnet50": resnet50,
    "vgg16": vgg16,
    "transformer": TransformerClassifier,
    "lstm": LstmLm,
    "fashion-cnn": FashionCnn,
    "tiny-shuffled": Shuffled,
    "tiny-frozen": Frozen,
    "tiny-cnn": TinyCnn,
    "tiny-lm": TinyLm,
    "tiny-tied": TinyTied,
}


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    names = sys.argv[2:] or list(MODELS)
    os.makedirs(outdir, exist_ok=True)
    # nn.LSTM declares batch_first a TorchScript constant; scripting warns.
    warnings.filterwarnings("ignore", message="'batch_first' was found")
    torch.manual_seed(0)
    for name in names:
        if name not in MODELS:
            sys.exit("make_models.py: error: unknown model '%s'" % name)
        model = MODELS[name]()
        trainable = [p for p in model.parameters() if p.requires_grad]
        torch.jit.script(model).save(os.path.join(outdir, name + ".pt"))
        print("%s: %d tensors, %d parameters"
              % (name, len(trainable), sum(p.numel() for p in trainable)))


if __name__ == "__main__":
    main()

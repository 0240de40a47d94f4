#!/usr/bin/python3
"""Writes the example TorchScript models that agtf-import reads.

Usage: /usr/bin/python3 make_models.py OUTDIR [NAME ...]
(Debian's torch 1.13 and torchvision 0.14.) With no names, writes them all.
For each model it prints one line: name, trainable tensors, parameters.
The build writes them into build/examples/models (target agtf-example-models);
they are never committed.
"""
import math
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


# --- Transformer families (benchmark shapes) --------------------------------
# At their published configurations these have hundreds to thousands of
# parameter tensors and up to billions of parameters: bench/make_graph.py
# builds them on the meta device (shapes only) and writes their graphs;
# MODELS below holds small configurations that script and import in
# seconds. Every class takes `device` for its parameters.
class CausalSelfAttention(nn.Module):
    def __init__(self, d, heads, bias, device):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(d, 3 * d, bias=bias, device=device)
        self.proj = nn.Linear(d, d, bias=bias, device=device)

    def forward(self, x):
        n, t, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=2)
        q = q.view(n, t, self.heads, d // self.heads).transpose(1, 2)
        k = k.view(n, t, self.heads, d // self.heads).transpose(1, 2)
        v = v.view(n, t, self.heads, d // self.heads).transpose(1, 2)
        scores = q @ k.transpose(-2, -1) / math.sqrt(d // self.heads)
        mask = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
        scores = scores.masked_fill(mask, float("-inf"))
        out = F.softmax(scores, dim=-1) @ v
        return self.proj(out.transpose(1, 2).reshape(n, t, d))


class Gpt2Block(nn.Module):
    def __init__(self, d, heads, device):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d, device=device)
        self.attn = CausalSelfAttention(d, heads, True, device)
        self.ln_2 = nn.LayerNorm(d, device=device)
        self.fc = nn.Linear(d, 4 * d, device=device)
        self.fc_proj = nn.Linear(4 * d, d, device=device)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.fc_proj(F.gelu(self.fc(self.ln_2(x))))


class Gpt2(nn.Module):
    """GPT-2 decoder (Radford et al. 2019): token and position embeddings,
    pre-norm blocks, the LM head tied to the token embedding. Defaults:
    GPT-2 small. Input: N x T ids."""

    def __init__(self, vocab=50257, ctx=1024, d=768, layers=12, heads=12,
                 device=None):
        super().__init__()
        self.wte = nn.Embedding(vocab, d, device=device)
        self.wpe = nn.Embedding(ctx, d, device=device)
        self.blocks = nn.ModuleList(
            [Gpt2Block(d, heads, device) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d, device=device)

    def forward(self, tokens):
        positions = torch.arange(tokens.size(1), device=tokens.device)
        x = self.wte(tokens) + self.wpe(positions)
        for block in self.blocks:
            x = block(x)
        return F.linear(self.ln_f(x), self.wte.weight)


class BertLayer(nn.Module):
    def __init__(self, d, heads, ffn, device):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(d, d, device=device)
        self.key = nn.Linear(d, d, device=device)
        self.value = nn.Linear(d, d, device=device)
        self.attention_output = nn.Linear(d, d, device=device)
        self.attention_norm = nn.LayerNorm(d, device=device)
        self.intermediate = nn.Linear(d, ffn, device=device)
        self.output = nn.Linear(ffn, d, device=device)
        self.output_norm = nn.LayerNorm(d, device=device)

    def forward(self, x):
        n, t, d = x.shape
        h = d // self.heads
        q = self.query(x).view(n, t, self.heads, h).transpose(1, 2)
        k = self.key(x).view(n, t, self.heads, h).transpose(1, 2)
        v = self.value(x).view(n, t, self.heads, h).transpose(1, 2)
        att = F.softmax(q @ k.transpose(-2, -1) / math.sqrt(h), dim=-1) @ v
        att = self.attention_output(att.transpose(1, 2).reshape(n, t, d))
        x = self.attention_norm(x + att)
        return self.output_norm(
            x + self.output(F.gelu(self.intermediate(x))))


class Bert(nn.Module):
    """BERT encoder (Devlin et al. 2019): word, position and token-type
    embeddings, post-norm layers, the pooler and a classifier on it.
    Defaults: BERT-base. Input: N x T ids."""

    def __init__(self, vocab=30522, ctx=512, d=768, layers=12, heads=12,
                 ffn=3072, classes=2, device=None):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, d, device=device)
        self.position_embeddings = nn.Embedding(ctx, d, device=device)
        self.token_type_embeddings = nn.Embedding(2, d, device=device)
        self.embeddings_norm = nn.LayerNorm(d, device=device)
        self.layers = nn.ModuleList(
            [BertLayer(d, heads, ffn, device) for _ in range(layers)])
        self.pooler = nn.Linear(d, d, device=device)
        self.classifier = nn.Linear(d, classes, device=device)

    def forward(self, tokens):
        positions = torch.arange(tokens.size(1), device=tokens.device)
        x = (self.word_embeddings(tokens) + self.position_embeddings(positions)
             + self.token_type_embeddings(torch.zeros_like(tokens)))
        x = self.embeddings_norm(x)
        for layer in self.layers:
            x = layer(x)
        return self.classifier(torch.tanh(self.pooler(x[:, 0])))


class RmsNorm(nn.Module):
    def __init__(self, d, device):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d, device=device))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) \
            * self.weight


class SwiGlu(nn.Module):
    def __init__(self, d, ffn, device):
        super().__init__()
        self.gate_proj = nn.Linear(d, ffn, bias=False, device=device)
        self.up_proj = nn.Linear(d, ffn, bias=False, device=device)
        self.down_proj = nn.Linear(ffn, d, bias=False, device=device)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class LlamaAttention(nn.Module):
    """Multi-head attention with separate projections, no biases; rotary
    position embeddings change no parameter and are left out."""

    def __init__(self, d, heads, kv_heads, device):
        super().__init__()
        self.heads, self.kv_heads = heads, kv_heads
        h = d // heads
        self.q_proj = nn.Linear(d, d, bias=False, device=device)
        self.k_proj = nn.Linear(d, kv_heads * h, bias=False, device=device)
        self.v_proj = nn.Linear(d, kv_heads * h, bias=False, device=device)
        self.o_proj = nn.Linear(d, d, bias=False, device=device)

    def forward(self, x):
        n, t, d = x.shape
        h = d // self.heads
        repeat = self.heads // self.kv_heads
        q = self.q_proj(x).view(n, t, self.heads, h).transpose(1, 2)
        k = self.k_proj(x).view(n, t, self.kv_heads, h).transpose(1, 2)
        v = self.v_proj(x).view(n, t, self.kv_heads, h).transpose(1, 2)
        k = k.repeat_interleave(repeat, dim=1)
        v = v.repeat_interleave(repeat, dim=1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(h)
        mask = torch.ones(t, t, dtype=torch.bool, device=x.device).triu(1)
        out = F.softmax(scores.masked_fill(mask, float("-inf")), dim=-1) @ v
        return self.o_proj(out.transpose(1, 2).reshape(n, t, d))


class MoeFeedForward(nn.Module):
    """A mixture of SwiGLU experts with a linear router: each token goes to
    its top-k experts, weighted by their softmaxed router scores; shared
    experts (DeepSeekMoE) see every token."""

    def __init__(self, d, ffn, experts, top_k, shared, device):
        super().__init__()
        self.top_k = top_k
        self.gate = nn.Linear(d, experts, bias=False, device=device)
        self.experts = nn.ModuleList(
            [SwiGlu(d, ffn, device) for _ in range(experts)])
        self.shared_experts = nn.ModuleList(
            [SwiGlu(d, ffn, device) for _ in range(shared)])

    def forward(self, x):
        n, t, d = x.shape
        tokens = x.reshape(n * t, d)
        weights, chosen = torch.topk(F.softmax(self.gate(tokens), dim=-1),
                                     self.top_k, dim=-1)
        out = torch.zeros_like(tokens)
        for e, expert in enumerate(self.experts):
            hit = (chosen == e)
            rows = hit.any(dim=-1).nonzero().squeeze(-1)
            w = (weights * hit.to(weights.dtype)).sum(-1)[rows]
            out = out.index_add(0, rows, expert(tokens[rows]) * w[:, None])
        for expert in self.shared_experts:
            out = out + expert(tokens)
        return out.view(n, t, d)


class LlamaBlock(nn.Module):
    """Pre-norm decoder block: RMSNorm, attention, RMSNorm, then a SwiGLU
    feed-forward (dense) or a mixture of SwiGLU experts."""

    def __init__(self, d, heads, kv_heads, ffn, device, experts=0, top_k=0,
                 shared=0):
        super().__init__()
        self.input_layernorm = RmsNorm(d, device)
        self.self_attn = LlamaAttention(d, heads, kv_heads, device)
        self.post_attention_layernorm = RmsNorm(d, device)
        self.mlp = (MoeFeedForward(d, ffn, experts, top_k, shared, device)
                    if experts else SwiGlu(d, ffn, device))

    def forward(self, x):
        x = x + self.self_attn(self.input_layernorm(x))
        return x + self.mlp(self.post_attention_layernorm(x))


class Llama(nn.Module):
    """Llama-style decoder (Touvron et al. 2023): untied embedding and LM
    head, RMSNorm, SwiGLU; with `experts`, every block from `first_moe` on
    holds a mixture of experts instead (Mixtral, DeepSeekMoE). Defaults:
    Llama-2 7B. Input: N x T ids."""

    def __init__(self, vocab=32000, d=4096, layers=32, heads=32, kv_heads=32,
                 ffn=11008, experts=0, top_k=0, shared=0, moe_ffn=0,
                 first_moe=0, device=None):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, d, device=device)
        self.layers = nn.ModuleList([
            LlamaBlock(d, heads, kv_heads, moe_ffn, device, experts, top_k,
                       shared)
            if experts and i >= first_moe else
            LlamaBlock(d, heads, kv_heads, ffn, device)
            for i in range(layers)])
        self.norm = RmsNorm(d, device)
        self.lm_head = nn.Linear(d, vocab, bias=False, device=device)

    def forward(self, tokens):
        x = self.embed_tokens(tokens)
        for layer in self.layers:
            x = layer(x)
        return self.lm_head(self.norm(x))


# The published configurations, for bench/make_graph.py (shapes only): the
# tokens of one iteration, and the models.
CONFIGS = {
    "gpt2-xl": (8 * 1024, lambda device: Gpt2(
        d=1600, layers=48, heads=25, device=device)),
    "bert-large": (32 * 512, lambda device: Bert(
        d=1024, layers=24, heads=16, ffn=4096, device=device)),
    "llama2-7b": (4 * 4096, lambda device: Llama(device=device)),
    "mixtral-8x7b": (4 * 4096, lambda device: Llama(
        d=4096, layers=32, heads=32, kv_heads=8, experts=8, top_k=2,
        moe_ffn=14336, device=device)),
    "deepseek-moe-16b": (4 * 4096, lambda device: Llama(
        vocab=102400, d=2048, layers=28, heads=16, kv_heads=16, ffn=10944,
        experts=64, top_k=6, shared=2, moe_ffn=1408, first_moe=1,
        device=device)),
}


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
    # The transformer families above, small (input: N x T ids, T <= 64).
    "gpt2-mini": lambda: Gpt2(vocab=512, ctx=64, d=64, layers=4, heads=4),
    "bert-mini": lambda: Bert(vocab=512, ctx=64, d=64, layers=4, heads=4,
                              ffn=256),
    "llama-mini": lambda: Llama(vocab=512, d=64, layers=4, heads=4,
                                kv_heads=2, ffn=172),
    "moe-mini": lambda: Llama(vocab=512, d=64, layers=4, heads=4, kv_heads=2,
                              ffn=172, experts=8, top_k=2, shared=1,
                              moe_ffn=64, first_moe=1),
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

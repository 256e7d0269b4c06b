#!/usr/bin/env python3
"""Per-stage timing of the official method ("Editing Out-of-domain GAN Inversion via Differential Activations",
Song et al., ECCV 2022) in plain PyTorch on the CPU, for comparison with `pipeline bench method`.

The networks are built the way the official code builds them (pSp GradualStyleEncoder on IR-SE50, rosinality's
StyleGAN2 with grouped modulated convolutions and the pure-PyTorch upfirdn2d, the DiffCam Siamese ResNet-101 with
Grad-CAM by autograd, and the GLEAN-style deghosting network), with seeded random weights: only time is measured.
Module names follow the official state_dict keys, so the key and element counts printed in the header can be checked
against the official checkpoints. Written from the architecture description; no code of the official repository is
used.

Per image (batch 1):
  invert   area 1024->256, pSp encoder (+ latent_avg), StyleGAN2 1024 with fresh noise, face_pool 1024->256
  edit     StyleGAN2 1024 on w + alpha*d (fresh noise), face_pool
  diffcam  DiffCam forward, logit backward (Grad-CAM), CAM, bilinear 8->256, min-max, nearest 256->1024
  compose  F = T*M + I*(1-M)
  deghost  area 1024->128, deghosting network 128->1024
"""
import argparse
import json
import math
import platform
import random
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ALPHA = 20          # official --alpha
NUM_CLASS = 17      # official --diffcam_num_class
TARGET_CLASS = 7    # Eyeglasses in the official direction2idx

# Element counts (parameters + buffers, as in the official state_dicts) and key counts of the official
# configuration (size 1024).
OFFICIAL_COUNTS = {
    "pSp encoder": (621, 267_161_076),
    "pSp decoder (StyleGAN2 1024)": (171, 33_166_492),
    "DiffCam (ResNet-101, 17 classes)": (626, 42_640_441),
    "Deghosting FCN": (754, 143_826_555),
    "Deghosting generator (StyleGAN2 1024)": (171, 33_166_492),
}


# ------------------------------------------------------------------------------------------------------------------
# Primitives (rosinality StyleGAN2, CPU reference formulas)

def make_kernel(k):
    k = torch.tensor(k, dtype=torch.float32)
    k = k[None, :] * k[:, None]
    return k / k.sum()


def upfirdn2d(x, kernel, up=1, down=1, pad=(0, 0)):
    """Zero-insertion upsample, pad (negative crops), true convolution with kernel, keep every down-th sample."""
    p0, p1 = pad
    n, c, h, w = x.shape
    x = x.reshape(n * c, 1, h, w)
    if up > 1:
        x = x.reshape(n * c, h, 1, w, 1)
        x = F.pad(x, (0, up - 1, 0, 0, 0, up - 1))
        x = x.reshape(n * c, 1, h * up, w * up)
    x = F.pad(x, (max(p0, 0), max(p1, 0), max(p0, 0), max(p1, 0)))
    if p0 < 0 or p1 < 0:
        x = x[:, :, max(-p0, 0):x.shape[2] - max(-p1, 0), max(-p0, 0):x.shape[3] - max(-p1, 0)]
    kh, kw = kernel.shape
    x = F.conv2d(x, torch.flip(kernel, [0, 1]).view(1, 1, kh, kw))
    x = x[:, :, ::down, ::down]
    return x.reshape(n, c, x.shape[2], x.shape[3])


def fused_leaky_relu(x, bias, negative_slope=0.2, scale=2 ** 0.5):
    shape = [1, bias.shape[0]] + [1] * (x.dim() - 2)
    return F.leaky_relu(x + bias.view(shape), negative_slope) * scale


class FusedLeakyReLU(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        return fused_leaky_relu(x, self.bias)


class PixelNorm(nn.Module):
    def forward(self, x):
        return x * torch.rsqrt(torch.mean(x * x, dim=1, keepdim=True) + 1e-8)


class Blur(nn.Module):
    def __init__(self, kernel, pad, upsample_factor=1):
        super().__init__()
        self.register_buffer("kernel", make_kernel(kernel) * upsample_factor ** 2)
        self.pad = pad

    def forward(self, x):
        return upfirdn2d(x, self.kernel, pad=self.pad)


class Upsample(nn.Module):
    def __init__(self, kernel, factor=2):
        super().__init__()
        self.factor = factor
        self.register_buffer("kernel", make_kernel(kernel) * factor ** 2)
        p = len(kernel) - factor
        self.pad = ((p + 1) // 2 + factor - 1, p // 2)

    def forward(self, x):
        return upfirdn2d(x, self.kernel, up=self.factor, pad=self.pad)


class EqualLinear(nn.Module):
    def __init__(self, in_dim, out_dim, bias=True, bias_init=0.0, lr_mul=1.0, activation=None):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_dim, in_dim) / lr_mul)
        self.bias = nn.Parameter(torch.full((out_dim,), float(bias_init))) if bias else None
        self.scale = (1 / math.sqrt(in_dim)) * lr_mul
        self.lr_mul = lr_mul
        self.activation = activation

    def forward(self, x):
        if self.activation:
            return fused_leaky_relu(F.linear(x, self.weight * self.scale), self.bias * self.lr_mul)
        return F.linear(x, self.weight * self.scale, self.bias * self.lr_mul)


class ModulatedConv2d(nn.Module):
    """Per-sample modulated (and demodulated) weights, applied as one grouped convolution (groups = batch)."""

    def __init__(self, in_ch, out_ch, kernel_size, style_dim, demodulate=True, upsample=False,
                 blur_kernel=(1, 3, 3, 1)):
        super().__init__()
        self.in_ch, self.out_ch, self.k = in_ch, out_ch, kernel_size
        self.demodulate, self.upsample = demodulate, upsample
        self.scale = 1 / math.sqrt(in_ch * kernel_size ** 2)
        self.padding = kernel_size // 2
        self.weight = nn.Parameter(torch.randn(1, out_ch, in_ch, kernel_size, kernel_size))
        self.modulation = EqualLinear(style_dim, in_ch, bias_init=1)
        if upsample:
            factor = 2
            p = (len(blur_kernel) - factor) - (kernel_size - 1)
            self.blur = Blur(blur_kernel, pad=((p + 1) // 2 + factor - 1, p // 2 + 1), upsample_factor=factor)

    def forward(self, x, style):
        b, c, h, w = x.shape                                                   # (B, in, H, W)
        s = self.modulation(style).view(b, 1, c, 1, 1)
        weight = self.scale * self.weight * s                                  # (B, out, in, k, k)
        if self.demodulate:
            d = torch.rsqrt(weight.pow(2).sum([2, 3, 4]) + 1e-8)
            weight = weight * d.view(b, self.out_ch, 1, 1, 1)
        x = x.reshape(1, b * c, h, w)
        if self.upsample:
            weight = weight.transpose(1, 2).reshape(b * c, self.out_ch, self.k, self.k)
            out = F.conv_transpose2d(x, weight, padding=0, stride=2, groups=b)  # (1, B*out, 2H+1, 2W+1)
            out = self.blur(out.view(b, self.out_ch, out.shape[2], out.shape[3]))
        else:
            weight = weight.view(b * self.out_ch, c, self.k, self.k)
            out = F.conv2d(x, weight, padding=self.padding, groups=b)
            out = out.view(b, self.out_ch, out.shape[2], out.shape[3])
        return out


class NoiseInjection(nn.Module):
    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(1))

    def forward(self, x, noise=None):
        if noise is None:                                                      # randomize_noise: fresh N(0,1)
            b, _, h, w = x.shape
            noise = x.new_empty(b, 1, h, w).normal_()
        return x + self.weight * noise


class ConstantInput(nn.Module):
    def __init__(self, channels, size=4):
        super().__init__()
        self.input = nn.Parameter(torch.randn(1, channels, size, size))

    def forward(self, latent):
        return self.input.repeat(latent.shape[0], 1, 1, 1)


class StyledConv(nn.Module):
    def __init__(self, in_ch, out_ch, kernel_size, style_dim, upsample=False):
        super().__init__()
        self.conv = ModulatedConv2d(in_ch, out_ch, kernel_size, style_dim, upsample=upsample)
        self.noise = NoiseInjection()
        self.activate = FusedLeakyReLU(out_ch)

    def forward(self, x, style, noise=None):
        return self.activate(self.noise(self.conv(x, style), noise))


class ToRGB(nn.Module):
    def __init__(self, in_ch, style_dim, upsample=True):
        super().__init__()
        if upsample:
            self.upsample = Upsample((1, 3, 3, 1))
        self.conv = ModulatedConv2d(in_ch, 3, 1, style_dim, demodulate=False)
        self.bias = nn.Parameter(torch.zeros(1, 3, 1, 1))

    def forward(self, x, style, skip=None):
        out = self.conv(x, style) + self.bias
        if skip is not None:
            out = out + self.upsample(skip)
        return out


def stylegan_channels(channel_multiplier=2):
    cm = channel_multiplier
    return {4: 512, 8: 512, 16: 512, 32: 512, 64: 256 * cm, 128: 128 * cm, 256: 64 * cm, 512: 32 * cm, 1024: 16 * cm}


class Generator(nn.Module):
    """rosinality StyleGAN2 (size, style 512, 8-layer mapping, channel multiplier 2); W+ input only is used."""

    def __init__(self, size, style_dim=512, n_mlp=8, channel_multiplier=2):
        super().__init__()
        self.size, self.style_dim = size, style_dim
        self.style = nn.Sequential(PixelNorm(), *[EqualLinear(style_dim, style_dim, lr_mul=0.01,
                                                               activation="fused_lrelu") for _ in range(n_mlp)])
        ch = stylegan_channels(channel_multiplier)
        self.input = ConstantInput(ch[4])
        self.conv1 = StyledConv(ch[4], ch[4], 3, style_dim)
        self.to_rgb1 = ToRGB(ch[4], style_dim, upsample=False)
        self.log_size = int(math.log2(size))
        self.num_layers = (self.log_size - 2) * 2 + 1
        self.n_latent = self.log_size * 2 - 2
        self.convs, self.upsamples, self.to_rgbs = nn.ModuleList(), nn.ModuleList(), nn.ModuleList()
        self.noises = nn.Module()
        for j in range(self.num_layers):
            r = (j + 5) // 2
            self.noises.register_buffer(f"noise_{j}", torch.randn(1, 1, 2 ** r, 2 ** r))
        prev = ch[4]
        for i in range(3, self.log_size + 1):
            c = ch[2 ** i]
            self.convs.append(StyledConv(prev, c, 3, style_dim, upsample=True))
            self.convs.append(StyledConv(c, c, 3, style_dim))
            self.to_rgbs.append(ToRGB(c, style_dim))
            prev = c

    def stored_noise(self):
        return [getattr(self.noises, f"noise_{j}") for j in range(self.num_layers)]

    def forward(self, latent, noise=None):
        """latent (B, n_latent, 512) W+; noise None draws fresh noise in every layer (randomize_noise=True)."""
        if noise is None:
            noise = [None] * self.num_layers
        out = self.input(latent)
        out = self.conv1(out, latent[:, 0], noise[0])
        skip = self.to_rgb1(out, latent[:, 1])
        i = 1
        for up_conv, conv, to_rgb in zip(self.convs[::2], self.convs[1::2], self.to_rgbs):
            out = up_conv(out, latent[:, i], noise[i])
            out = conv(out, latent[:, i + 1], noise[i + 1])
            skip = to_rgb(out, latent[:, i + 2], skip)
            i += 2
        return skip                                                            # (B, 3, size, size), no tanh


# ------------------------------------------------------------------------------------------------------------------
# pSp: GradualStyleEncoder on IR-SE50

class SEModule(nn.Module):
    def __init__(self, channels, reduction=16):
        super().__init__()
        self.avg_pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(channels, channels // reduction, 1, bias=False)
        self.relu = nn.ReLU(inplace=True)
        self.fc2 = nn.Conv2d(channels // reduction, channels, 1, bias=False)
        self.sigmoid = nn.Sigmoid()

    def forward(self, x):
        return x * self.sigmoid(self.fc2(self.relu(self.fc1(self.avg_pool(x)))))


class BottleneckIRSE(nn.Module):
    def __init__(self, in_ch, depth, stride):
        super().__init__()
        if in_ch == depth:
            self.shortcut_layer = nn.MaxPool2d(1, stride)
        else:
            self.shortcut_layer = nn.Sequential(nn.Conv2d(in_ch, depth, 1, stride, bias=False), nn.BatchNorm2d(depth))
        self.res_layer = nn.Sequential(
            nn.BatchNorm2d(in_ch), nn.Conv2d(in_ch, depth, 3, 1, 1, bias=False), nn.PReLU(depth),
            nn.Conv2d(depth, depth, 3, stride, 1, bias=False), nn.BatchNorm2d(depth), SEModule(depth, 16))

    def forward(self, x):
        return self.res_layer(x) + self.shortcut_layer(x)


class GradualStyleBlock(nn.Module):
    def __init__(self, in_ch, out_ch, spatial):
        super().__init__()
        self.out_ch = out_ch
        layers = [nn.Conv2d(in_ch, out_ch, 3, stride=2, padding=1), nn.LeakyReLU()]
        for _ in range(int(math.log2(spatial)) - 1):
            layers += [nn.Conv2d(out_ch, out_ch, 3, stride=2, padding=1), nn.LeakyReLU()]
        self.convs = nn.Sequential(*layers)
        self.linear = EqualLinear(out_ch, out_ch, lr_mul=1)

    def forward(self, x):
        return self.linear(self.convs(x).view(-1, self.out_ch))


class GradualStyleEncoder(nn.Module):
    def __init__(self, n_styles=18):
        super().__init__()
        self.input_layer = nn.Sequential(nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.PReLU(64))
        units = []
        for in_ch, depth, num_units in [(64, 64, 3), (64, 128, 4), (128, 256, 14), (256, 512, 3)]:
            units.append(BottleneckIRSE(in_ch, depth, 2))
            units += [BottleneckIRSE(depth, depth, 1) for _ in range(num_units - 1)]
        self.body = nn.Sequential(*units)
        self.style_count, self.coarse_ind, self.middle_ind = n_styles, 3, 7
        self.styles = nn.ModuleList(
            GradualStyleBlock(512, 512, 16 if i < self.coarse_ind else 32 if i < self.middle_ind else 64)
            for i in range(n_styles))
        self.latlayer1 = nn.Conv2d(256, 512, 1)
        self.latlayer2 = nn.Conv2d(128, 512, 1)

    @staticmethod
    def upsample_add(x, y):
        return F.interpolate(x, size=y.shape[2:], mode="bilinear", align_corners=True) + y

    def forward(self, x):
        x = self.input_layer(x)
        for i, unit in enumerate(self.body):
            x = unit(x)
            if i == 6:
                c1 = x                                                         # (B, 128, 64, 64)
            elif i == 20:
                c2 = x                                                         # (B, 256, 32, 32)
            elif i == 23:
                c3 = x                                                         # (B, 512, 16, 16)
        latents = [self.styles[j](c3) for j in range(self.coarse_ind)]
        p2 = self.upsample_add(c3, self.latlayer1(c2))
        latents += [self.styles[j](p2) for j in range(self.coarse_ind, self.middle_ind)]
        p1 = self.upsample_add(p2, self.latlayer2(c1))
        latents += [self.styles[j](p1) for j in range(self.middle_ind, self.style_count)]
        return torch.stack(latents, dim=1)                                     # (B, n_styles, 512)


class PSP(nn.Module):
    def __init__(self, output_size=1024):
        super().__init__()
        n_styles = 2 * int(math.log2(output_size)) - 2
        self.encoder = GradualStyleEncoder(n_styles)
        self.decoder = Generator(output_size)
        self.face_pool = nn.AdaptiveAvgPool2d((output_size // 4, output_size // 4))
        self.latent_avg = torch.randn(n_styles, 512) * 0.1                     # a checkpoint entry, not a key

    def forward(self, x):
        codes = self.encoder(x) + self.latent_avg.repeat(x.shape[0], 1, 1)
        images = self.decoder(codes)                                           # randomize_noise=True
        return self.face_pool(images), codes


# ------------------------------------------------------------------------------------------------------------------
# DiffCam: Siamese ResNet-101 trunk, difference of features, classifier, Grad-CAM on layer4

class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(inplanes, planes, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)


def resnet_layer(inplanes, planes, blocks, stride):
    downsample = None
    if stride != 1 or inplanes != planes * 4:
        downsample = nn.Sequential(nn.Conv2d(inplanes, planes * 4, 1, stride, bias=False), nn.BatchNorm2d(planes * 4))
    return [Bottleneck(inplanes, planes, stride, downsample)] + [Bottleneck(planes * 4, planes) for _ in range(1, blocks)]


class DiffCam(nn.Module):
    def __init__(self, num_class=NUM_CLASS):
        super().__init__()
        stem = [nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1)]
        layer1 = nn.Sequential(*resnet_layer(64, 64, 3, 1))
        layer2 = nn.Sequential(*resnet_layer(256, 128, 4, 2))
        layer3 = resnet_layer(512, 256, 23, 2)
        layer4 = nn.Sequential(*resnet_layer(1024, 512, 3, 2))
        self.shared = nn.Sequential(*stem, layer1, layer2, *layer3[:10])        # E_trainable
        self.classifier = nn.Sequential(*layer3[10:], layer4, nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(2048, num_class)

    def forward(self, image):                                                  # (B, 6, H, W)
        f1 = self.shared(image[:, 0:3])                                        # inverted
        f2 = self.shared(image[:, 3:6])                                        # manipulated
        out = self.fc(self.classifier(f2 - f1).squeeze())
        return out.unsqueeze(0) if out.dim() == 1 else out


def grad_cam(model, image, target):
    """Grad-CAM on the layer4 output: hook activation and gradient, backward the raw target logit."""
    store = {}

    def hook(_module, _inputs, output):
        store["act"] = output
        output.register_hook(lambda g: store.__setitem__("grad", g))

    handle = model.classifier[-2].register_forward_hook(hook)
    try:
        out = model(image)
        loss = out[:, target].sum()
        model.zero_grad()
        loss.backward(retain_graph=True)
    finally:
        handle.remove()
    act, grad = store["act"].detach(), store["grad"].detach()                  # (B, 2048, h, w)
    weights = grad.mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((weights * act).sum(dim=1, keepdim=True))                 # (B, 1, h, w)
    cam = F.interpolate(cam, size=image.shape[-2:], mode="bilinear", align_corners=False)
    flat = cam.flatten(1)
    flat = flat - flat.min(dim=1, keepdim=True).values
    flat = flat / flat.max(dim=1, keepdim=True).values                         # NaN when the map is constant
    return flat.view(cam.shape[0], 1, *image.shape[-2:])                       # (B, 1, H, W)


# ------------------------------------------------------------------------------------------------------------------
# Deghosting: GLEAN-style FCN (RRDB encoder, W+ head, fusion convs, pixel-shuffle decoder) around a frozen StyleGAN2

class ResidualDenseBlock(nn.Module):
    def __init__(self, mid=64, grow=32):
        super().__init__()
        for i in range(5):
            out = mid if i == 4 else grow
            setattr(self, f"conv{i + 1}", nn.Conv2d(mid + i * grow, out, 3, 1, 1))
        self.lrelu = nn.LeakyReLU(0.2, inplace=True)

    def forward(self, x):
        feats = [x]
        for i in range(1, 5):
            feats.append(self.lrelu(getattr(self, f"conv{i}")(torch.cat(feats, 1))))
        return self.conv5(torch.cat(feats, 1)) * 0.2 + x


class RRDB(nn.Module):
    def __init__(self, mid, grow):
        super().__init__()
        self.rdb1, self.rdb2, self.rdb3 = (ResidualDenseBlock(mid, grow) for _ in range(3))

    def forward(self, x):
        return self.rdb3(self.rdb2(self.rdb1(x))) * 0.2 + x


class RRDBNet(nn.Module):
    def __init__(self, num_in=3, num_mid=64, num_out=256, num_blocks=23, num_grow=32):
        super().__init__()
        self.conv_first = nn.Conv2d(num_in, num_mid, 3, 1, 1)
        self.body = nn.Sequential(*[RRDB(num_mid, num_grow) for _ in range(num_blocks)])
        self.conv_body = nn.Conv2d(num_mid, num_mid, 3, 1, 1)
        self.conv_up = nn.Conv2d(num_mid, num_out, 3, 1, 1)

    def forward(self, x):
        feat = self.conv_first(x)
        feat = feat + self.conv_body(self.body(feat))
        return F.leaky_relu(self.conv_up(feat), 0.2)


class PixelShufflePack(nn.Module):
    def __init__(self, in_ch, out_ch, scale=2, kernel=3):
        super().__init__()
        self.scale = scale
        self.upsample_conv = nn.Conv2d(in_ch, out_ch * scale * scale, kernel, padding=kernel // 2)

    def forward(self, x):
        return F.pixel_shuffle(self.upsample_conv(x), self.scale)


class FCN(nn.Module):
    CH = {4: 512, 8: 512, 16: 512, 32: 512, 64: 512, 128: 256, 256: 128, 512: 64, 1024: 32}

    def __init__(self, in_size, out_size, style_channels=512):
        super().__init__()
        ch = self.CH
        self.n_latent = 2 * int(math.log2(out_size)) - 2
        self.encoder = nn.ModuleList([RRDBNet(3, 64, ch[in_size], 23, 32)])
        res = in_size
        while res > 4:
            self.encoder.append(nn.Sequential(
                nn.Conv2d(ch[res], ch[res // 2], 3, 2, 1), nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ch[res // 2], ch[res // 2], 3, 1, 1), nn.LeakyReLU(0.2, inplace=True)))
            res //= 2
        self.encoder.append(nn.Sequential(
            nn.Conv2d(ch[4], ch[4], 3, 1, 1), nn.LeakyReLU(0.2, inplace=True), nn.Flatten(),
            nn.Linear(16 * ch[4], self.n_latent * style_channels)))
        sizes = [2 ** i for i in range(2, int(math.log2(in_size)) + 1)]        # 4 .. in_size
        self.fusion_out = nn.ModuleList(nn.Conv2d(2 * ch[c], ch[c], 3, 1, 1) for c in sizes)
        self.fusion_skip = nn.ModuleList(nn.Conv2d(ch[c] + 3, 3, 3, 1, 1) for c in sizes)
        self.decoder = nn.ModuleList()
        res = in_size
        while res <= out_size:
            in_ch = ch[res] if res == in_size else 2 * ch[res]
            if res < out_size:
                self.decoder.append(PixelShufflePack(in_ch, ch[res * 2], 2, 3))
            else:
                self.decoder.append(nn.Sequential(nn.Conv2d(in_ch, 64, 3, 1, 1), nn.LeakyReLU(0.2, inplace=True),
                                                  nn.Conv2d(64, 3, 3, 1, 1)))
            res *= 2


class Deghosting(nn.Module):
    """The frozen generator is rosinality-layout here; the official mmgen modules compute the same operations
    (equalised-lr scaling at run time, grouped modulated convs, upfirdn2d blur, stored noise buffers)."""

    def __init__(self, in_size=128, out_size=1024):
        super().__init__()
        self.in_size = in_size
        self.FCN = FCN(in_size, out_size)
        self.generator = Generator(out_size)
        for p in self.generator.parameters():
            p.requires_grad_(False)

    def forward(self, x):                                                      # (B, 3, in, in)
        b = x.shape[0]
        feats, feat = [], x
        for block in self.FCN.encoder:
            feat = block(feat)
            feats.append(feat)
        feats = feats[::-1]
        latent = feats[0].view(b, -1, 512)                                     # W+, no mapping network
        enc = feats[1:]                                                        # f4, f8, ..., f_in
        g, noise = self.generator, self.generator.stored_noise()
        out = g.input(latent)
        out = g.conv1(out, latent[:, 0], noise[0])
        skip = g.to_rgb1(out, latent[:, 1])
        gen_feats, i = [], 1
        for up_conv, conv, to_rgb in zip(g.convs[::2], g.convs[1::2], g.to_rgbs):
            if out.shape[2] <= self.in_size:
                f = (i - 1) // 2
                out = self.FCN.fusion_out[f](torch.cat([out, enc[f]], 1))
                skip = self.FCN.fusion_skip[f](torch.cat([skip, enc[f]], 1))
            out = up_conv(out, latent[:, i], noise[i])
            out = conv(out, latent[:, i + 1], noise[i + 1])
            skip = to_rgb(out, latent[:, i + 2], skip)                         # final RGB is discarded
            if out.shape[2] > self.in_size:
                gen_feats.append(out)
            i += 2
        hr = enc[-1]
        for k, block in enumerate(self.FCN.decoder):
            if k > 0:
                hr = torch.cat([hr, gen_feats[k - 1]], 1)
            hr = block(hr)
        return hr                                                              # (B, 3, out, out)


# ------------------------------------------------------------------------------------------------------------------
# Harness

def state_counts(module):
    sd = module.state_dict()
    return len(sd), sum(t.numel() for t in sd.values())


def describe(nets, size):
    rows = [("pSp encoder", nets["psp"].encoder), ("pSp decoder (StyleGAN2 %d)" % size, nets["psp"].decoder),
            ("DiffCam (ResNet-101, 17 classes)", nets["diffcam"]), ("Deghosting FCN", nets["deghost"].FCN),
            ("Deghosting generator (StyleGAN2 %d)" % size, nets["deghost"].generator)]
    print("network                                  keys    state_dict elements   parameters     official (1024)")
    for name, m in rows:
        keys, elems = state_counts(m)
        params = sum(p.numel() for p in m.parameters())
        ref = OFFICIAL_COUNTS.get(name.replace(str(size), "1024"))
        ok = ""
        if size == 1024 and ref is not None:
            ok = "%d / %d %s" % (ref[0], ref[1], "ok" if ref == (keys, elems) else "MISMATCH")
        print("%-38s %6d %22d %12d     %s" % (name, keys, elems, params, ok))


def area(x, s):
    return F.interpolate(x, size=(s, s), mode="area")


def run_image(nets, image, direction, size):
    """One image through the method; returns the stage times (wall ms, process-CPU ms) and the output."""
    psp, diffcam, deghost = nets["psp"], nets["diffcam"], nets["deghost"]
    wall, cpu = {}, {}

    def stage(name, fn):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall[name] = (time.perf_counter() - w0) * 1000
        cpu[name] = (time.process_time() - c0) * 1000
        return result

    with torch.no_grad():
        inverted, latent = stage("invert", lambda: psp(area(image, size // 4)))
        manipulated = stage("edit", lambda: psp.decoder(latent + ALPHA * direction))
        manipulated_small = psp.face_pool(manipulated)
        image_forward = torch.cat([inverted, manipulated_small], dim=1)

    def diffcam_stage():
        with torch.enable_grad():
            heat = grad_cam(diffcam, image_forward.detach(), TARGET_CLASS)    # (1, 1, size/4, size/4)
        return F.interpolate(heat, size=(size, size))                          # nearest

    mask = stage("diffcam", diffcam_stage)
    with torch.no_grad():
        fused = stage("compose", lambda: manipulated * mask + image * (1 - mask))
        output = stage("deghost", lambda: deghost(area(fused, size // 8)))
    wall["total"] = sum(wall.values())
    cpu["total"] = sum(cpu.values())
    return wall, cpu, mask, output


def build(size, seed):
    torch.manual_seed(seed)
    random.seed(seed)
    nets = {"psp": PSP(size).eval(), "diffcam": DiffCam(NUM_CLASS).eval(),
            "deghost": Deghosting(size // 8, size).eval()}
    return nets


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1024, help="image and generator size (power of two, >= 128)")
    ap.add_argument("--runs", type=int, default=1, help="timed runs after one warm-up (0: warm-up only)")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    ap.add_argument("--describe", action="store_true", help="print the network sizes and exit")
    args = ap.parse_args()
    if args.size < 128 or args.size & (args.size - 1) or args.size > 1024:
        ap.error("--size must be a power of two in [128, 1024]")
    if args.runs < 0:
        ap.error("--runs must be >= 0")

    torch.set_num_threads(args.threads)
    print("PyTorch %s, Python %s, %d intra-op threads, %d interop threads" % (
        torch.__version__, platform.python_version(), torch.get_num_threads(), torch.get_num_interop_threads()))
    print("size %d: pSp %d->%d, DiffCam at %d, deghosting %d->%d; seed %d" % (
        args.size, args.size // 4, args.size, args.size // 4, args.size // 8, args.size, args.seed))

    t0 = time.perf_counter()
    nets = build(args.size, args.seed)
    print("networks built in %.1f s" % (time.perf_counter() - t0))
    describe(nets, args.size)
    if args.describe:
        return

    gen = torch.Generator().manual_seed(args.seed + 1)
    pixels = torch.randint(0, 256, (1, 3, args.size, args.size), generator=gen, dtype=torch.uint8)
    image = (pixels.float() / 255 - 0.5) / 0.5                                 # ToTensor + Normalize(0.5, 0.5)
    n_latent = nets["psp"].decoder.n_latent
    d = torch.randn(n_latent, 512, generator=gen, dtype=torch.float64)
    direction = (d / torch.sqrt((d * d).sum())).float().unsqueeze(0)           # Frobenius-normalised, (1, 18, 512)

    names = ["invert", "edit", "diffcam", "compose", "deghost", "total"]
    runs = []
    for r in range(args.runs + 1):
        wall, cpu, mask, output = run_image(nets, image, direction, args.size)
        label = "warm-up" if r == 0 else "run %d/%d" % (r, args.runs)
        print("%-9s " % label + "  ".join("%s %.0f ms" % (n, wall[n]) for n in names)
              + "  (CPU total %.0f ms)" % cpu["total"])
        if r == 0:
            warmup = {"wall_ms": wall, "cpu_ms": cpu}
            if not torch.isfinite(mask).all():
                print("note: the Diff-CAM mask is constant for these random weights (NaN, as in the official code)")
            print("output %s, range [%.3g, %.3g]" % (tuple(output.shape), output.min().item(), output.max().item()))
        else:
            runs.append({"wall_ms": wall, "cpu_ms": cpu})

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    summary = {}
    if runs:
        print("\n| stage | ms (median of %d) | CPU ms (median) |" % len(runs))
        print("|---|---|---|")
        for n in names:
            summary[n] = {"wall_ms": statistics.median(x["wall_ms"][n] for x in runs),
                          "cpu_ms": statistics.median(x["cpu_ms"][n] for x in runs)}
            print("| %s | %.0f | %.0f |" % (n, summary[n]["wall_ms"], summary[n]["cpu_ms"]))
    print("peak resident memory %.0f MiB" % peak_mib)

    if args.json:
        doc = {"torch": torch.__version__, "threads": torch.get_num_threads(), "size": args.size,
               "seed": args.seed, "runs": args.runs, "warmup": warmup, "timed": runs, "median": summary,
               "peak_rss_mib": peak_mib,
               "networks": {n: dict(zip(("keys", "elements"), state_counts(m))) for n, m in
                            [("psp_encoder", nets["psp"].encoder), ("psp_decoder", nets["psp"].decoder),
                             ("diffcam", nets["diffcam"]), ("deghost_fcn", nets["deghost"].FCN),
                             ("deghost_generator", nets["deghost"].generator)]}}
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2)
        print("wrote " + args.json)


if __name__ == "__main__":
    main()

"""One optimizer per weight array of a flat parameter vector: how Muon is used in a network."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import NamedTuple

import numpy as np

from .base import Optimizer, as_float_array, params_and_grad


class ParameterGroupsState(NamedTuple):
    t: int  #: number of steps taken
    groups: tuple  #: the state of each group's optimizer, in the order of ``shapes``


class ParameterGroups(Optimizer):
    r"""Split a flat parameter vector into named arrays and give each its own optimizer.

    ``shapes`` names the arrays in the order they are stored (a model's ``shapes``, e.g.
    ``{"W1": (64, 32), "b1": (32,), ...}``); ``optimizers`` maps every name to an optimizer,
    which sees its array in its own shape (a matrix for :class:`Muon`). A step cuts the
    parameters and the gradient into those arrays, steps each with its optimizer, and joins
    the results. The same optimizer object may serve several arrays: each gets its own state.

    This is what PyTorch's two optimizers over two lists of parameters do, in one object
    that ``optlib.train`` can drive.
    """

    def __init__(self, optimizers, shapes):
        if not isinstance(shapes, Mapping) or not shapes:
            raise TypeError(f"Invalid shapes: {shapes!r} (expected a dict name -> shape, "
                            "like a model's shapes)")
        if not isinstance(optimizers, Mapping) or set(optimizers) != set(shapes):
            given = sorted(optimizers) if isinstance(optimizers, Mapping) else optimizers
            raise ValueError(f"Invalid optimizers: {given!r} (expected one optimizer for each "
                             f"of {list(shapes)})")
        for name, optimizer in optimizers.items():
            if not isinstance(optimizer, Optimizer):
                raise TypeError(f"Invalid optimizer for {name!r}: {optimizer!r} "
                                "(expected an optlib Optimizer)")
        self.shapes = {name: tuple(shape) for name, shape in shapes.items()}
        self.optimizers = {name: optimizers[name] for name in self.shapes}
        self._bounds = np.cumsum([0, *(math.prod(shape) for shape in self.shapes.values())])

    @property
    def lr(self):
        """The learning rates, by array name."""
        return {name: optimizer.lr for name, optimizer in self.optimizers.items()}

    @property
    def size(self) -> int:
        return int(self._bounds[-1])

    def _split(self, flat):
        if flat.shape != (self.size,):
            raise ValueError(f"expected a flat vector of shape ({self.size},) for the arrays "
                             f"{self.shapes}, got shape {flat.shape}")
        bounds = self._bounds
        return [flat[start:end].reshape(shape)
                for start, end, shape in zip(bounds[:-1], bounds[1:], self.shapes.values())]

    def init(self, params) -> ParameterGroupsState:
        arrays = self._split(as_float_array(params))
        states = tuple(optimizer.init(array)
                       for optimizer, array in zip(self.optimizers.values(), arrays))
        return ParameterGroupsState(t=0, groups=states)

    def step(self, params, grad, state):
        """One step of every group's optimizer on its own array."""
        theta, g = params_and_grad(params, grad)
        stepped = [optimizer.step(array, array_grad, group)
                   for optimizer, array, array_grad, group
                   in zip(self.optimizers.values(), self._split(theta), self._split(g),
                          state.groups)]
        joined = np.concatenate([np.ravel(array) for array, _ in stepped])
        return joined, ParameterGroupsState(state.t + 1, tuple(group for _, group in stepped))

    def evaluation_point(self, params, state):
        """Each group's own evaluation point, joined into one flat vector."""
        points = [optimizer.evaluation_point(array, group)
                  for optimizer, array, group
                  in zip(self.optimizers.values(), self._split(as_float_array(params)),
                         state.groups)]
        return np.concatenate([np.ravel(point) for point in points])

    def __repr__(self) -> str:
        return f"ParameterGroups({self.optimizers!r}, shapes={self.shapes!r})"


def muon_with_adamw(shapes, muon, adamw) -> ParameterGroups:
    """``muon`` for every 2-D array of ``shapes`` (the weight matrices), ``adamw`` for the rest
    (biases and other vectors), as PyTorch's documentation of Muon advises."""
    return ParameterGroups({name: muon if len(shape) == 2 else adamw
                            for name, shape in shapes.items()}, shapes)

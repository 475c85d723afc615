"""What every search use case needs besides its unit of work."""

from dataclasses import dataclass

from search.adapters.shadows import DirectoryShadows
from search.service_layer.ports import SearchBackend
from shared.clock import Clock


@dataclass(frozen=True)
class Dependencies:
    clock: Clock
    backend: SearchBackend
    shadows: DirectoryShadows

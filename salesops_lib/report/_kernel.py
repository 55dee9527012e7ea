"""Kernel manager used by the report runner.

ipykernel 7.4 prints "Kernel is running over TCP without encryption" at every start (see
``DEPENDENCY_NOTES.md``). Running the kernel over IPC (Unix domain sockets) avoids the warning and
costs nothing. The socket files live next to the kernel's connection file in the Jupyter runtime
directory under a unique prefix, so parallel runs never collide and nothing is written into the
notebooks folder; ``jupyter_client`` removes them when the kernel shuts down.
"""

from __future__ import annotations

import os
import sys
import uuid
from typing import Any

from jupyter_client.manager import AsyncKernelManager

__all__ = ["IPCKernelManager", "kernel_manager_class"]


class IPCKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` that talks to its kernel over IPC sockets.

    Falls back to TCP on Windows, which has no Unix domain sockets.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if sys.platform != "win32":
            from jupyter_core.paths import jupyter_runtime_dir

            runtime = jupyter_runtime_dir()
            os.makedirs(runtime, exist_ok=True)
            self.transport = "ipc"
            # A unique socket prefix: the default ("kernel-ipc" relative to the cwd) would write
            # socket files into the notebooks folder and collide between parallel runs.
            self.ip = os.path.join(runtime, f"salesops-{uuid.uuid4().hex[:12]}-ipc")


def kernel_manager_class() -> type[AsyncKernelManager]:
    """Return the kernel manager class the runner passes to papermill.

    Returns
    -------
    type
        :class:`IPCKernelManager`.
    """
    return IPCKernelManager

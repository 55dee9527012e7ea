"""Kernel manager used by the report runner.

ipykernel 7.4 prints "Kernel is running over TCP without encryption" at every start (see
``DEPENDENCY_NOTES.md``). Running the kernel over IPC (Unix domain sockets) avoids the warning and
costs nothing. The socket files live next to the kernel's connection file in the Jupyter runtime
directory under a unique prefix, so parallel runs never collide and nothing is written into the
notebooks folder; ``jupyter_client`` removes them when the kernel shuts down.

The kernel process's own stdout/stderr (ipykernel's log lines, C-level output of extensions such
as a DuckDB progress bar) can be sent to a log file instead of the terminal:
``kernel_manager_class(kernel_log=path)``. The runner keeps that file per run and shows its tail
on the error page when a kernel dies.

Under ``run_all`` the class also records each kernel it starts (pid, process group, connection
file, socket prefix) in the run's state folder: ``kernel_manager_class(state_dir=...)``. The
parent then ends those kernels and removes their files when the run is stopped by a signal
(see ``_stop.py``); kernels run in their own session, so ending a worker does not end them.
"""

from __future__ import annotations

import os
import sys
import uuid
from typing import Any, ClassVar

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.paths import jupyter_runtime_dir

from salesops_lib.report._stop import record_kernel

__all__ = ["IPCKernelManager", "kernel_manager_class"]


class IPCKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` that talks to its kernel over IPC sockets.

    Falls back to TCP on Windows, which has no Unix domain sockets.
    """

    #: File that receives the kernel process's stdout and stderr (``None``: inherit).
    kernel_log: ClassVar[str | None] = None
    #: The ``run_all`` state folder where each started kernel is recorded (``None``: not recorded).
    state_dir: ClassVar[str | None] = None

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        #: Every client made for this kernel: a kernel kept between reports (``_warm.py``)
        #: closes the ones nbclient leaves open on a kernel it does not own.
        self.clients: list[Any] = []
        if sys.platform != "win32":
            runtime = jupyter_runtime_dir()
            os.makedirs(runtime, exist_ok=True)
            self.transport = "ipc"
            # A unique socket prefix: the default ("kernel-ipc" relative to the cwd) would write
            # socket files into the notebooks folder and collide between parallel runs.
            self.ip = os.path.join(runtime, f"salesops-{uuid.uuid4().hex[:12]}-ipc")

    def client(self, **kwargs: Any) -> Any:
        kc = super().client(**kwargs)
        self.clients.append(kc)
        return kc

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
        if self.kernel_log and "stderr" not in kw:
            with open(self.kernel_log, "ab") as fh:  # the child keeps its own copy of the fd
                kw["stdout"] = fh
                kw["stderr"] = fh
                await super()._async_launch_kernel(kernel_cmd, **kw)
        else:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        if self.state_dir:
            record_kernel(self.state_dir, self)


def kernel_manager_class(
    kernel_log: str | os.PathLike[str] | None = None,
    *,
    state_dir: str | os.PathLike[str] | None = None,
) -> type[AsyncKernelManager]:
    """Return the kernel manager class the runner passes to papermill.

    Parameters
    ----------
    kernel_log
        File for the kernel process's stdout/stderr; ``None`` leaves them on the terminal.
    state_dir
        ``run_all``'s state folder: each kernel started is recorded there so that a stopped
        run can end it.

    Returns
    -------
    type
        :class:`IPCKernelManager`, or a subclass of it with these settings.
    """
    if kernel_log is None and state_dir is None:
        return IPCKernelManager
    attrs = {
        "kernel_log": None if kernel_log is None else os.fspath(kernel_log),
        "state_dir": None if state_dir is None else os.fspath(state_dir),
    }
    return type("IPCKernelManagerWithLog", (IPCKernelManager,), attrs)

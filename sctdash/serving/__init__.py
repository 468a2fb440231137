"""How the dashboard runs: `make run`'s start (serve); on a server, one systemd unit per process
(systemd/) and nginx in front (nginx/, nginx_config), the processes telling systemd they are
ready and alive (sdnotify); `make serve`, the same processes and nginx on a developer's machine
(launcher; launched runs it in the background for the tests and make bench); the one health
probe and free-port helper (probe); a viewer over Streamlit's websocket (viewer)."""

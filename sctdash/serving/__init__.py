"""How the dashboard runs: `make run`'s start (serve), several processes behind nginx
(`make serve`), nginx's configuration, systemd's notify protocol."""

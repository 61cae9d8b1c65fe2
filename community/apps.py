from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "Community and accounts"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from community.events import logout_sockets_close

        # Logging out is django.contrib.auth's (allauth calls it): its signal
        # is the one place every way out passes.
        user_logged_out.connect(
            logout_sockets_close, dispatch_uid="community.logout_sockets_close"
        )

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from community.models import AccessToken, Profile, User


class ProfileInline(admin.StackedInline[Profile, User]):
    model = Profile
    can_delete = False


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    inlines = [ProfileInline]
    list_display = ["email", "username", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "username", "profile__handle"]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin[Profile]):
    list_display = ["handle", "display_name", "user", "created_at"]
    search_fields = ["handle", "display_name", "user__email"]


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin[AccessToken]):
    list_display = [
        "name",
        "prefix",
        "user",
        "created_at",
        "last_used_at",
        "revoked_at",
    ]
    readonly_fields = ["digest", "prefix", "created_at", "last_used_at"]
    search_fields = ["name", "user__email"]

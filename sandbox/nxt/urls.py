from django.urls import path

from sandbox.nxt import control, views

urlpatterns = [
    path("api/graphql", views.graphql_view, name="nxt-graphql"),
    path("api/graphql-service", views.graphql_service_view, name="nxt-graphql-service"),
    *(
        path(f"_control/{action}", view, name=f"nxt-control-{action}")
        for action, view in control.VIEWS.items()
    ),
]

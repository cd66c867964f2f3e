"""The API of customer identity, as actions of the customers resource: the lookup by number,
ownership (ask for a customer, a manager's reassignment), and the duplicates with merge and
dismiss. Every rule is the services'; errors come back in the one error body."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from showroom.permissions import store_ids_for
from showroom.selectors.customers import OWNERSHIP_MANAGERS, customer_find_by_mobile, customer_get
from showroom.selectors.duplicates import customer_duplicates
from showroom.selectors.followups import user_by_id
from showroom.selectors.frontdesk import user_label
from showroom.selectors.roster import owner_duty
from showroom.selectors.stores import store_get_for_user
from showroom.services.customer_merge import customer_duplicate_dismiss, customer_merge
from showroom.services.ownership import customer_owner_assign, customer_transfer_request
from showroom.validators import mask_mobile


class TransferRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class OwnerAssignSerializer(serializers.Serializer):
    consultant = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)


class MergeSerializer(serializers.Serializer):
    survivor = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)


class DismissSerializer(serializers.Serializer):
    first = serializers.IntegerField()
    second = serializers.IntegerField()


def _brief(customer) -> dict:
    return {"id": customer.pk, "name": customer.name, "mobile": mask_mobile(customer.mobile)}


class CustomerIdentityActions:
    """Mixed into ``CustomerViewSet``."""

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["get"])
    def lookup(self, request):
        """The store's customer with this number and who would take him at the front desk (404 when
        the number is unknown)."""
        store = store_get_for_user(user=request.user, store_id=request.query_params.get("store"))
        customer = customer_find_by_mobile(store=store, mobile=request.query_params.get("mobile", ""))
        if customer is None:
            raise Http404
        duty = owner_duty(store=store, customer=customer)
        return Response(
            {
                **_brief(customer),
                "owner": duty.owner.pk if duty.owner else None,
                "owner_name": user_label(duty.owner),
                "owned_until": customer.owned_until if duty.owner else None,
                "owner_on_duty": duty.on_duty,
            }
        )

    @extend_schema(request=TransferRequestSerializer, responses={201: dict})
    @action(detail=True, methods=["post"], url_path="transfer-request")
    def transfer_request(self, request, pk=None):
        customer = self.get_object()
        payload = TransferRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        approval = customer_transfer_request(customer=customer, user=request.user, reason=payload.data["reason"])
        return Response({"approval": approval.pk, "state": approval.state}, status=201)

    @extend_schema(request=OwnerAssignSerializer, responses={200: dict})
    @action(detail=True, methods=["post"])
    def owner(self, request, pk=None):
        customer = self.get_object()
        payload = OwnerAssignSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        customer = customer_owner_assign(
            customer=customer,
            user=request.user,
            consultant=user_by_id(payload.data["consultant"]),
            reason=payload.data["reason"],
        )
        return Response({"id": customer.pk, "owner": customer.owner_id, "owned_until": customer.owned_until})

    @extend_schema(request=None, responses={200: dict})
    @action(detail=False, methods=["get"])
    def duplicates(self, request):
        if not store_ids_for(request.user, OWNERSHIP_MANAGERS):
            raise PermissionDenied
        store = request.query_params.get("store")
        pairs = customer_duplicates(user=request.user, store_id=int(store) if str(store or "").isdigit() else None)
        return Response(
            {"results": [{"first": _brief(p.first), "second": _brief(p.second), "reasons": p.reasons} for p in pairs]}
        )

    @extend_schema(request=MergeSerializer, responses={200: dict})
    @action(detail=False, methods=["post"])
    def merge(self, request):
        payload = MergeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        survivor = customer_get(user=request.user, pk=payload.data["survivor"])
        duplicate = customer_get(user=request.user, pk=payload.data["duplicate"])
        merge = customer_merge(user=request.user, survivor=survivor, duplicate=duplicate, reason=payload.data["reason"])
        return Response(
            {"id": merge.pk, "survivor": survivor.pk, "duplicate": merge.duplicate_id, "moved": merge.moved}
        )

    @extend_schema(request=DismissSerializer, responses={201: dict})
    @action(detail=False, methods=["post"])
    def dismiss(self, request):
        payload = DismissSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        first = customer_get(user=request.user, pk=payload.data["first"])
        second = customer_get(user=request.user, pk=payload.data["second"])
        dismissal = customer_duplicate_dismiss(user=request.user, first=first, second=second)
        return Response({"id": dismissal.pk}, status=201)

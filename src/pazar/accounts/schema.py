from drf_spectacular.extensions import OpenApiAuthenticationExtension


class SellerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "pazar.accounts.authentication.SellerTokenAuthentication"
    name = "sellerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A seller access token: `Token <key>`, `Bearer <key>` or the bare key.",
        }

/* docs/ui/swagger-init.js — starts Swagger UI on /api/docs over the served
 * OpenAPI document; a file of its own because the page's CSP allows no
 * inline script. */
"use strict";
window.addEventListener("load", function () {
	window.ui = SwaggerUIBundle({
		url: "/api/docs/openapi.json",
		dom_id: "#swagger-ui",
		deepLinking: true,
		presets: [SwaggerUIBundle.presets.apis],
		layout: "BaseLayout",
		// No call to the public validator: the page works offline.
		validatorUrl: null
	});
});

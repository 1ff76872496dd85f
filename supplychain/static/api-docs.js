// Start Swagger UI on the service's own OpenAPI document (no network beyond this host).
window.addEventListener("load", function () {
  var spec = document.getElementById("api-docs-init").dataset.specUrl;
  window.ui = SwaggerUIBundle({
    url: spec,
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
  });
});

fn main() {
    console_error_panic_hook::set_once();
    // The page's language first (its texts come with the page, announced by the server), so
    // that nothing is drawn in another and then redrawn.
    wasm_bindgen_futures::spawn_local(async {
        switchboard_web::i18n::begin().await;
        leptos::mount::mount_to_body(switchboard_web::App);
    });
}

//! Parts of the app that the inbox's first screen does not need, each built into a wasm chunk of
//! its own that the browser fetches on first use, so that the first screen downloads less.
//!
//! The release build (`scripts/build-web`) compiles with `--cfg switchboard_split` and then
//! splits the linked wasm at the functions declared with [`in_chunk!`] (`wasm-split-cli`, from
//! the crate `wasm_split_cli_support`). Every other build (tests, `trunk serve`) keeps them in
//! the one wasm file as ordinary functions, so that nothing else changes.

use crate::i18n::{t, Text};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use std::future::Future;

/// A chunk could not be fetched: offline before the service worker had cached it, say.
pub use leptos::wasm_split::SplitLoaderError as ChunkError;

/// Declares `fn $name(args) -> AnyView` whose body goes into the wasm chunk `$chunk`; calling
/// it gives a future of the view, or of [`ChunkError`]. Show it with [`chunk_view`].
macro_rules! in_chunk {
    ($chunk:ident, $(#[$meta:meta])* $vis:vis fn $name:ident($($arg:ident: $ty:ty),* $(,)?) $body:block) => {
        #[cfg(switchboard_split)]
        $(#[$meta])*
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        $vis fn $name($($arg: $ty),*) -> ::std::result::Result<::leptos::prelude::AnyView, $crate::chunks::ChunkError> {
            ::std::result::Result::Ok($body)
        }
        #[cfg(not(switchboard_split))]
        $(#[$meta])*
        $vis async fn $name($($arg: $ty),*) -> ::std::result::Result<::leptos::prelude::AnyView, $crate::chunks::ChunkError> {
            ::std::result::Result::Ok($body)
        }
    };
}
pub(crate) use in_chunk;

/// The view a chunk's function builds: nothing while the chunk loads (a chunk already loaded
/// answers at once), and a short alert with a button to try again if it cannot be loaded.
pub fn chunk_view<Load, Fut>(load: Load) -> impl IntoView
where
    Load: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    move || {
        attempt.track();
        let view = SendWrapper::new(load());
        Suspend::new(async move {
            match view.await {
                Ok(view) => view,
                Err(_) => view! {
                    <div class="chunk-failed" role="alert">
                        <p>{t(Text::ChunkFailed)}</p>
                        <button type="button" on:click=move |_| attempt.update(|n| *n += 1)>
                            {t(Text::ChunkRetry)}
                        </button>
                    </div>
                }
                .into_any(),
            }
        })
    }
}

//! End to end: the real server on a free port with a temporary database and demo data, the
//! built web app, and headless Chromium driven through chromedriver. Elements are found by
//! their ARIA roles and accessible names.
#![cfg(not(target_arch = "wasm32"))]

mod accessibility;
mod contacts;
mod contacts_page;
mod helpers;
mod keyboard;
mod language;
mod load;
mod mouse;
mod offline;
mod phone;
mod places;
mod pwa;
mod replies;
mod servers;
mod shared_device;
mod sync;
mod team;

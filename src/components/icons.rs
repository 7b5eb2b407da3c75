//! Inline icons, drawn on a 20×20 grid with the current text colour. Decorative: the buttons
//! that hold them carry the accessible names.

use leptos::prelude::*;

#[component]
pub fn CheckIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
            <path d="M4 10.5l4 4 8-9" fill="none" stroke="currentColor" stroke-width="2"
                stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}

#[component]
pub fn EnvelopeIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
            <rect x="2.5" y="4.5" width="15" height="11" rx="2" fill="none" stroke="currentColor"
                stroke-width="1.6"/>
            <path d="M3 5.5l7 5.5 7-5.5" fill="none" stroke="currentColor" stroke-width="1.6"
                stroke-linejoin="round"/>
        </svg>
    }
}

#[component]
pub fn ReopenIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
            <path d="M4 10a6 6 0 1 0 2-4.5M4 3v3.5h3.5" fill="none" stroke="currentColor"
                stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
    }
}

#[component]
pub fn PhoneIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
            <path d="M6.5 3.5l2 3.5-1.5 1.5a9 9 0 0 0 4.5 4.5l1.5-1.5 3.5 2-1 2.5c-6 .5-12-5.5-11.5-11.5z"
                fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/>
        </svg>
    }
}

#[component]
pub fn VoicemailIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
            <circle cx="5.5" cy="10" r="3" fill="none" stroke="currentColor" stroke-width="1.6"/>
            <circle cx="14.5" cy="10" r="3" fill="none" stroke="currentColor" stroke-width="1.6"/>
            <path d="M5.5 13h9" stroke="currentColor" stroke-width="1.6"/>
        </svg>
    }
}

#[component]
pub fn PinIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
            <path d="M7 3h6l-1 5 3 3H5l3-3zM10 11v6" fill="none" stroke="currentColor"
                stroke-width="1.6" stroke-linejoin="round" stroke-linecap="round"/>
        </svg>
    }
}

#[component]
pub fn BellIcon() -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
            <path d="M5 14V9a5 5 0 0 1 10 0v5l1.5 2h-13zM8.5 17.5a1.5 1.5 0 0 0 3 0" fill="none"
                stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/>
        </svg>
    }
}

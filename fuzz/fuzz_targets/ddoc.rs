#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = sigverify_fuzz::ddoc(data);
});

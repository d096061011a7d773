#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    sigverify_fuzz::timestamp(data);
});

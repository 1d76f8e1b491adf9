// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

/// The pair's re-entrancy guard, in transient storage (EIP-1153, so Cancun or later):
/// the same guarantee as Uniswap's storage flag within a transaction, at a fraction of
/// the gas. The `paris` build compiles compat/ReentrancyLock.sol in this file's place
/// for chains without transient storage.
abstract contract ReentrancyLock {
    bool private transient locked;

    modifier lock() {
        require(!locked, "SobaV2: LOCKED");
        locked = true;
        _;
        locked = false;
    }
}

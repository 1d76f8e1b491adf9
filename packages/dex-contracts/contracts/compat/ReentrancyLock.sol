// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

/// The pair's re-entrancy guard for chains without transient storage: the `paris`
/// build compiles this file in place of core/ReentrancyLock.sol. It is Uniswap v2's
/// storage flag: the slot starts at 1 and only moves 1 -> 0 -> 1, so the restore is
/// refunded and no call pays for a fresh zero-to-non-zero write.
abstract contract ReentrancyLock {
    uint256 private unlocked = 1;

    modifier lock() {
        require(unlocked == 1, "SobaV2: LOCKED");
        unlocked = 0;
        _;
        unlocked = 1;
    }
}
